package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code COMMIT} that fails leaves a clean connection behind, never one with the transaction
 * still open, and nothing of the transaction committed. How the tests make it fail on each
 * database type is {@link CommitFailures}'s.
 */
@OnEveryDatabaseType
class CommitFailureTest {

    private final TestDatabase database;
    private Engine engine;

    CommitFailureTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        Map<String, Object> config = database.config("commit", "write.retries", 0, "osgi.connection.max", 1);
        config.putAll(CommitFailures.settings(database.kind()));
        engine = database.open(config);
        engine.connections().execute(c -> {
            for (String sql : CommitFailures.table(database.kind())) {
                c.createStatement().execute(sql);
            }
        });
    }

    @Test
    void aWriteUnitWhoseCommitFailsLeavesTheWriterClean() throws Exception {
        try (AutoCloseable failing = CommitFailures.failing(database)) {
            assertThatThrownBy(() -> engine.connections().execute(c -> c.createStatement().execute(CommitFailures.doomedInsert(1))))
                    .isInstanceOfSatisfying(EngineException.class, e -> {
                        CommitFailures.assertFailedCommit(database.kind(), e);
                        assertThat(e.getMessage()).startsWith("[commit] ");
                    });
        }
        // the writer went back without the failed transaction: the next unit begins, and commits alone
        engine.connections().execute(c -> c.createStatement().execute(CommitFailures.insert(2)));
        assertThat(values()).isEqualTo(2);
    }

    @Test
    void aDataSourceCommitThatFailsRollsBackAndTheConnectionGoesOn() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (AutoCloseable failing = CommitFailures.failing(database)) {
                c.createStatement().execute(CommitFailures.doomedInsert(1));
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
                        .hasMessageStartingWith("[commit] COMMIT failed and the transaction was rolled back");
            }
            c.rollback(); // what JDBC callers do after a failed commit: harmless
            c.createStatement().execute(CommitFailures.insert(3));
            c.commit();
        }
        // nothing of the failed transaction, and the writer is free for units
        engine.connections().execute(c -> c.createStatement().execute(CommitFailures.insert(4)));
        assertThat(values()).isEqualTo(7);
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
