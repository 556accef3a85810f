package dev.sqliteengine.webconsole;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * {@code PRAGMA wal_checkpoint(TRUNCATE)}, as {@code engine:checkpoint} runs it: on a pooled
 * connection in auto-commit mode (SQLite refuses a checkpoint inside a transaction, and a write
 * unit is one), where SQLite's busy handler lets it wait for the writer.
 */
final class Checkpoint implements EngineAction {

    /** SQLite's SQLITE_BUSY: the checkpoint ran but another connection kept it from completing. */
    private static final int SQLITE_BUSY = 5;

    @Override
    public String id() {
        return "checkpoint";
    }

    @Override
    public String label() {
        return "Checkpoint";
    }

    @Override
    public String run(Engine engine, Map<String, String> form) {
        try (Connection connection = engine.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            if (!row.next()) {
                throw new EngineException(engine.name(), "checkpoint returned no result");
            }
            String figures = "busy=" + row.getInt(1) + ", log=" + row.getInt(2) + ", checkpointed=" + row.getInt(3);
            if (row.getInt(1) != 0) {
                throw new EngineException(engine.name(), "checkpoint (TRUNCATE) did not complete (SQLITE_BUSY): "
                        + figures + "; another connection kept it from completing, try again", SQLITE_BUSY, null);
            }
            return "[" + engine.name() + "] checkpoint (TRUNCATE): " + figures;
        } catch (SQLException e) {
            throw new EngineException(engine.name(), "checkpoint failed: " + e.getMessage(), e.getErrorCode(), e);
        }
    }
}
