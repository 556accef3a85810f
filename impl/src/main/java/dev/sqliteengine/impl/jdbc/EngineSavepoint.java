package dev.sqliteengine.impl.jdbc;

import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * A JDBC savepoint made by an {@link EngineConnection} as an SQL {@code SAVEPOINT}. The driver's
 * own {@code setSavepoint} would switch its connection out of auto-commit mode behind the
 * engine's back, which is exactly the state the engine must not lose track of.
 */
record EngineSavepoint(int id, String name) implements Savepoint {

    static EngineSavepoint of(Savepoint savepoint, String engine) throws SQLException {
        if (savepoint instanceof EngineSavepoint ours) {
            return ours;
        }
        throw new SQLException("[" + engine + "] not a savepoint of this engine's connections: " + savepoint);
    }

    /** @return the SQL identifier, quoted */
    String identifier() {
        String raw = name == null ? "jdbc_savepoint_" + id : name;
        return '"' + raw.replace("\"", "\"\"") + '"';
    }

    @Override
    public int getSavepointId() throws SQLException {
        if (name != null) {
            throw new SQLException("a named savepoint has no id");
        }
        return id;
    }

    @Override
    public String getSavepointName() throws SQLException {
        if (name == null) {
            throw new SQLException("an unnamed savepoint has no name");
        }
        return name;
    }
}
