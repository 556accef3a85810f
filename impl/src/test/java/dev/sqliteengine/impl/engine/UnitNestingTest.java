package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue "Every invariant held under faults", item 8: read units are exactly as query-only as
 * documented, however they nest, and the nesting rules give the error that names the mistake.
 */
@OnEveryDatabaseType
class UnitNestingTest {

    private final TestDatabase database;
    private Engine engine;
    private ConnectionManager units;

    UnitNestingTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        engine = database.open("nesting", "osgi.connection.max", 1, "write.retries", 0);
        units = engine.connections();
        units.execute(c -> c.createStatement().execute("CREATE TABLE t(v INTEGER)"));
    }

    @Test
    void aReadNestedInAReadInsideAWriteKeepsTheOuterReadQueryOnly() {
        assertThatThrownBy(() -> units.write(w -> units.read(outerRead -> {
            units.read(innerRead -> count(innerRead));
            // still inside the outer read: the writer must still refuse to write
            outerRead.createStatement().execute("INSERT INTO t VALUES (1)");
            return null;
        }))).isInstanceOf(EngineException.class).hasMessageContaining("a read unit tried to write");
        assertThat(units.read(UnitNestingTest::count)).isZero();
    }

    @Test
    void aWriteInsideAReadInsideAWriteIsRefusedAsAnUpgrade() {
        assertThatThrownBy(() -> units.write(w -> units.read(r -> units.write(inner -> {
            inner.createStatement().execute("INSERT INTO t VALUES (1)");
            return null;
        })))).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("[nesting] a write unit cannot run inside a read unit");
        assertThat(units.read(UnitNestingTest::count)).isZero();
    }

    @Test
    void theWriterWritesAgainOnceTheReadsInsideItEnd() {
        units.execute(w -> {
            units.read(r -> units.read(UnitNestingTest::count));
            w.createStatement().execute("INSERT INTO t VALUES (1)");
        });
        units.execute(w -> w.createStatement().execute("INSERT INTO t VALUES (2)"));
        assertThat(units.read(UnitNestingTest::count)).isEqualTo(2);
    }

    @Test
    void aReaderThatTriedToTurnQueryOnlyOffIsStillQueryOnlyForTheNextReadUnit() {
        assertThatThrownBy(() -> units.read(r -> r.createStatement().execute(database.kind().makeWritable())))
                .isInstanceOf(EngineException.class).hasMessageContaining(database.kind().makeWritableRefusal());
        // osgi.connection.max=1: the same pooled reader
        assertThatThrownBy(() -> units.read(r -> r.createStatement().execute("INSERT INTO t VALUES (1)")))
                .isInstanceOf(EngineException.class).hasMessageContaining("a read unit tried to write");
        assertThat(units.read(UnitNestingTest::count)).isZero();
    }

    @Test
    void aReadUnitCannotMakeItselfWritableNotEvenByAScriptThatBeginsWithTheSwitch() {
        String makeWritable = database.kind().makeWritable();
        assertThatThrownBy(() -> units.read(r -> {
            try (Statement s = r.createStatement()) {
                assertThatThrownBy(() -> s.execute(makeWritable + "; SELECT 1")).isInstanceOf(EngineException.class)
                        .hasMessageContaining(database.kind().makeWritableRefusal());
                s.execute("INSERT INTO t VALUES (1)");
            }
            return null;
        })).isInstanceOf(EngineException.class).hasMessageContaining("a read unit tried to write");
        assertThat(units.read(UnitNestingTest::count)).isZero();
    }

    private static int count(Connection c) throws SQLException {
        try (var rows = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
