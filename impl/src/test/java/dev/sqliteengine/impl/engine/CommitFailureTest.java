package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.sqlite.ResultCodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code COMMIT} that fails leaves a clean connection behind, never one with the transaction
 * still open. In rollback-journal mode a commit needs an exclusive lock, so another process that
 * holds a read transaction makes it fail with SQLITE_BUSY after busy_timeout; SQLite then keeps
 * the transaction open, and only the engine can end it.
 */
class CommitFailureTest {

    @TempDir
    Path dir;

    Path file;
    Engine engine;

    @BeforeEach
    void open() {
        file = dir.resolve("commit.db");
        engine = new SqliteEngineFactory(new EngineRegistry()).create(Map.of("name", "commit", "path", file.toString(),
                "pragma.journal_mode", "DELETE", "pragma.busy_timeout", 100, "write.retries", 0,
                "osgi.connection.max", 1));
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v INTEGER)"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aWriteUnitWhoseCommitFailsLeavesTheWriterClean() throws Exception {
        try (Connection reader = foreignReader()) {
            assertThatThrownBy(() -> engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)")))
                    .isInstanceOfSatisfying(ConnectionException.class, e -> {
                        assertThat(e.resultCode() & 0xff).isEqualTo(ResultCodes.SQLITE_BUSY);
                        assertThat(e.getMessage()).startsWith("[commit] ");
                    });
            reader.createStatement().execute("COMMIT");
        }
        // the writer went back without the failed transaction: the next unit begins, and commits alone
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (2)"));
        assertThat(values()).isEqualTo(2);
    }

    @Test
    void aDataSourceCommitThatFailsRollsBackAndTheConnectionGoesOn() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Connection reader = foreignReader()) {
                c.createStatement().execute("INSERT INTO t VALUES (1)");
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
                        .hasMessageStartingWith("[commit] COMMIT failed and the transaction was rolled back");
                reader.createStatement().execute("COMMIT");
            }
            c.rollback(); // what JDBC callers do after a failed commit: harmless
            c.createStatement().execute("INSERT INTO t VALUES (3)");
            c.commit();
        }
        // nothing of the failed transaction, and the writer is free for units
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (4)"));
        assertThat(values()).isEqualTo(7);
    }

    /** A read transaction in another process: it holds SQLite's SHARED lock until it ends. */
    private Connection foreignReader() throws SQLException {
        Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file);
        reader.createStatement().execute("BEGIN");
        reader.createStatement().executeQuery("SELECT count(*) FROM t").next();
        return reader;
    }

    private int values() {
        return engine.connections().read(c -> {
            try (var rows = c.createStatement().executeQuery("SELECT coalesce(sum(v), 0) FROM t")) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }
}
