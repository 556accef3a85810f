package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's {@code INSERT OR ROLLBACK} and {@code RAISE(ROLLBACK)} roll the whole transaction
 * back, through every savepoint: in a write unit nested in another, they fail the outer unit too,
 * and nothing of it commits, not even what the outer unit runs after catching the failure. (No
 * statement on PostgreSQL fails a transaction past a savepoint; the same failure caught inside
 * one unit is in {@code TransactionDisciplineTest}, on both types.)
 */
class NestedFullRollbackTest {

    private static final int EXISTING = 1;
    private static final int A = 10;
    private static final int B = 11;

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();
    private Engine engine;

    @BeforeEach
    void openSeeded() {
        engine = open();
        engine.connections().execute(c -> {
            TransactionDisciplineTest.sql(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            TransactionDisciplineTest.insert(c, EXISTING);
        });
    }

    private Engine open() {
        return new SqliteEngineFactory(registry).create(Map.of("name", "fullrollback",
                "path", dir.resolve("fullrollback.db").toString(), "write.retries", 0));
    }

    private void assertNothingOfTheUnitCommitted() {
        assertThat(TransactionDisciplineTest.ids(engine)).containsExactly(EXISTING);
        engine.close();
        try (Engine reopened = open()) {
            Set<Integer> committed = TransactionDisciplineTest.ids(reopened);
            assertThat(committed).containsExactly(EXISTING);
        }
    }

    @Test
    void aNestedInsertOrRollbackFailsTheOuterUnitAndNothingOfItCommits() {
        assertThatThrownBy(() -> engine.connections().execute(outer -> {
            TransactionDisciplineTest.insert(outer, A);
            assertThatThrownBy(() -> engine.connections().execute(inner -> TransactionDisciplineTest.sql(inner,
                    "INSERT OR ROLLBACK INTO t(id, v) VALUES (" + EXISTING + ", 'duplicate')")))
                    .isInstanceOf(EngineException.class);
            TransactionDisciplineTest.insert(outer, B); // must not commit on its own
        })).isInstanceOf(EngineException.class).hasMessageStartingWith("[fullrollback] ");
        assertNothingOfTheUnitCommitted();
    }

    @Test
    void aNestedRaiseRollbackFailsTheOuterUnitAndNothingOfItCommits() {
        engine.connections().execute(c -> TransactionDisciplineTest.sql(c,
                "CREATE TRIGGER refuse_999 BEFORE INSERT ON t WHEN NEW.id = 999 BEGIN SELECT RAISE(ROLLBACK, 'no'); END"));
        assertThatThrownBy(() -> engine.connections().execute(outer -> {
            TransactionDisciplineTest.insert(outer, A);
            assertThatThrownBy(() -> engine.connections().execute(inner -> TransactionDisciplineTest.insert(inner, 999)))
                    .isInstanceOf(EngineException.class);
            TransactionDisciplineTest.insert(outer, B);
        })).isInstanceOf(EngineException.class).hasMessageStartingWith("[fullrollback] ");
        assertNothingOfTheUnitCommitted();
    }
}
