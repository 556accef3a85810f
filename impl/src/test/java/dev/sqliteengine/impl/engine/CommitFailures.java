package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.sqlite.ResultCodes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * How a test makes a {@code COMMIT} fail on each database type, after every statement of the
 * transaction succeeded, on a table {@code t(v INTEGER, k INTEGER)} that holds a row {@code (0, 0)}:
 * <ul>
 * <li>SQLite, in rollback-journal mode: a commit needs an exclusive lock, and another process that
 * holds a read transaction makes it fail with SQLITE_BUSY after busy_timeout; SQLite keeps the
 * transaction open then, and only the engine can end it.</li>
 * <li>PostgreSQL: {@code k} is unique, checked at {@code COMMIT} (deferred), and the transaction
 * inserts a second {@code k = 0}; the server rolls the transaction back.</li>
 * </ul>
 */
final class CommitFailures {

    private CommitFailures() {}

    /** @return the engine's properties a test adds for its commits to fail */
    static Map<String, Object> settings(DatabaseKind kind) {
        return kind == DatabaseKind.SQLITE
                ? Map.of("pragma.journal_mode", "DELETE", "pragma.busy_timeout", 100)
                : Map.of();
    }

    /** @return the table, with its row {@code (0, 0)} */
    static String[] table(DatabaseKind kind) {
        String create = kind == DatabaseKind.SQLITE ? "CREATE TABLE t(v INTEGER, k INTEGER)"
                : "CREATE TABLE t(v INTEGER, k INTEGER, UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)";
        return new String[] {create, "INSERT INTO t VALUES (0, 0)"};
    }

    /** @return an insert of {@code v}, which succeeds, in a transaction whose commit then fails */
    static String doomedInsert(int v) {
        return "INSERT INTO t VALUES (" + v + ", 0)";
    }

    /** @return an insert of {@code v} that commits */
    static String insert(int v) {
        return "INSERT INTO t VALUES (" + v + ", " + v + ")";
    }

    /**
     * Makes the commits of doomed inserts fail until it is closed: SQLite, a read transaction of
     * another process; PostgreSQL, nothing (the constraint does it).
     */
    static AutoCloseable failing(TestDatabase database) throws SQLException {
        if (database.kind() != DatabaseKind.SQLITE) {
            return () -> { };
        }
        Connection reader = database.foreignConnection();
        try (Statement s = reader.createStatement()) {
            s.execute("BEGIN");
            s.executeQuery("SELECT count(*) FROM t").next();
        }
        return () -> {
            try (reader; Statement s = reader.createStatement()) {
                s.execute("COMMIT");
            }
        };
    }

    /** Asserts that a write unit failed at its commit as the database fails it. */
    static void assertFailedCommit(DatabaseKind kind, EngineException e) {
        if (kind == DatabaseKind.SQLITE) {
            assertThat(e).isInstanceOf(ConnectionException.class);
            assertThat(e.resultCode() & 0xff).isEqualTo(ResultCodes.SQLITE_BUSY);
        } else {
            assertThat(e.sqlState()).hasValue("23505");
        }
    }
}
