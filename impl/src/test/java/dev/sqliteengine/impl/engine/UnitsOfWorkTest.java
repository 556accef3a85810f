package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineListener;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What units of work and the {@code DataSource}'s transactions mean, whatever the database: a
 * write unit commits or rolls back as a whole; nested write units are savepoints; a read unit sees
 * one snapshot and cannot write, nor can a write unit run inside it; listeners hear it all; sizes
 * change in place. Where a failed statement leaves the transaction differs by design (see
 * {@link Difference#A_FAILED_STATEMENT_FAILS_THE_TRANSACTION}).
 */
@OnEveryDatabaseType
class UnitsOfWorkTest {

    private final TestDatabase database;

    UnitsOfWorkTest(TestDatabase database) {
        this.database = database;
    }

    /** An engine with table {@code t(id INTEGER PRIMARY KEY, v TEXT)}. */
    private SqliteEngine openWithTable(String name, Object... overrides) {
        SqliteEngine engine = database.open(name, overrides);
        engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"));
        return engine;
    }

    private static void sql(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void insert(Connection c, int id) throws SQLException {
        sql(c, "INSERT INTO t VALUES (" + id + ", 'v" + id + "')");
    }

    private static List<Integer> ids(Engine engine) {
        return engine.connections().read(c -> {
            List<Integer> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM t ORDER BY id")) {
                while (r.next()) {
                    out.add(r.getInt(1));
                }
            }
            return out;
        });
    }

    private static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void writesCommitAndReadsSeeThem() {
        Engine engine = openWithTable("rw");
        engine.connections().execute(c -> sql(c, "INSERT INTO t(id, v) VALUES (1, 'a'), (2, 'b')"));
        assertThat(ids(engine)).containsExactly(1, 2);
        assertThat(engine.status().commits()).isEqualTo(2);
    }

    @Test
    void aWriteThatThrowsIsRolledBack() {
        Engine engine = openWithTable("rb");
        assertThatThrownBy(() -> engine.connections().execute(c -> {
            insert(c, 1);
            throw new IllegalStateException("application failure");
        })).isInstanceOf(IllegalStateException.class).hasMessage("application failure");
        assertThatThrownBy(() -> engine.connections().execute(c -> {
            insert(c, 2);
            insert(c, 2);
        })).isInstanceOfSatisfying(EngineException.class, e -> {
            database.kind().assertUniqueViolation(e);
            assertThat(e.getMessage()).startsWith("[rb] ");
        });
        assertThat(ids(engine)).isEmpty();
        assertThat(engine.status().rollbacks()).isEqualTo(2);
    }

    @Test
    void aReadThatWritesFailsAtOnceAndSaysSo() {
        Engine engine = openWithTable("ro");
        assertThatThrownBy(() -> engine.connections().read(c -> {
            insert(c, 1);
            return null;
        })).isInstanceOf(EngineException.class).hasMessageStartingWith("[ro] ").hasMessageContaining("a read unit tried to write");
        assertThat(ids(engine)).isEmpty();
    }

    @Test
    void nestedWritesUseSavepointsAndReadsInsideWritesSeeUncommittedRows() {
        Engine engine = openWithTable("nest");
        engine.connections().execute(outer -> {
            insert(outer, 1);
            assertThat(engine.connections().<Integer>read(UnitsOfWorkTest::count)).isEqualTo(1);
            assertThatThrownBy(() -> engine.connections().execute(inner -> {
                insert(inner, 2);
                throw new IllegalStateException("inner fails");
            })).hasMessage("inner fails");
            engine.connections().execute(inner -> insert(inner, 3));
        });
        assertThat(ids(engine)).containsExactly(1, 3);
    }

    @Test
    void aNestedWriteTakesAUniqueViolationAndTheOuterUnitGoesOn() {
        Engine engine = openWithTable("nested");
        engine.connections().execute(outer -> {
            insert(outer, 1);
            EngineException duplicate = catchThrowableOfType(
                    () -> engine.connections().execute(inner -> insert(inner, 1)), EngineException.class);
            database.kind().assertUniqueViolation(duplicate);
            insert(outer, 2);
        });
        assertThat(ids(engine)).containsExactly(1, 2);
    }

    @Test
    void aReadInsideAWriteSeesItsRowsCannotWriteAndTheWriteGoesOnAfterIt() {
        Engine engine = openWithTable("inside");
        engine.connections().execute(outer -> {
            insert(outer, 1);
            assertThat(engine.connections().<Integer>read(UnitsOfWorkTest::count)).isEqualTo(1);
            EngineException refused = catchThrowableOfType(() -> engine.connections().read(inner -> {
                insert(inner, 5);
                return null;
            }), EngineException.class);
            assertThat(refused.getMessage()).contains("a read unit tried to write");
            insert(outer, 2);
        });
        assertThat(ids(engine)).containsExactly(1, 2);
    }

    @Test
    void aWriteInsideAReadIsRefused() {
        Engine engine = openWithTable("upgrade");
        assertThatThrownBy(() -> engine.connections().read(c -> engine.connections().write(w -> {
            insert(w, 1);
            return null;
        }))).isInstanceOf(EngineException.class).hasMessageContaining("a write unit cannot run inside a read unit");
        assertThat(ids(engine)).isEmpty();
    }

    @Test
    void aRollbackToASavepointLetsTheUnitGoOnAfterAFailure() {
        Engine engine = openWithTable("savepoint");
        engine.connections().execute(c -> {
            insert(c, 1);
            Savepoint before = c.setSavepoint();
            assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
            c.rollback(before);
            insert(c, 2);
        });
        assertThat(ids(engine)).containsExactly(1, 2);
    }

    @Test
    @Differs(Difference.A_FAILED_STATEMENT_FAILS_THE_TRANSACTION)
    void aWorkThatCatchesAFailedStatementAndGoesOn() {
        Engine engine = openWithTable("goeson");
        Throwable failure = catchThrowableOfType(() -> engine.connections().execute(c -> {
            insert(c, 1);
            assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
            insert(c, 2);
        }), EngineException.class);

        if (database.differs(Difference.A_FAILED_STATEMENT_FAILS_THE_TRANSACTION)) {
            assertThat(failure).hasMessageStartingWith("[goeson] ").hasMessageContaining("PostgreSQL aborted")
                    .hasMessageContaining("nothing of this unit");
            assertThat(ids(engine)).isEmpty();
        } else {
            assertThat(failure).isNull();
            assertThat(ids(engine)).containsExactly(1, 2);
        }
    }

    @Test
    @Differs(Difference.A_FAILED_STATEMENT_FAILS_THE_TRANSACTION)
    void aWorkThatSwallowsAFailedStatementAndReturns() {
        Engine engine = openWithTable("swallows");
        Throwable failure = catchThrowableOfType(() -> engine.connections().execute(c -> {
            insert(c, 1);
            try {
                insert(c, 1);
            } catch (SQLException duplicate) {
                // swallowed: PostgreSQL would roll back at COMMIT, and say nothing
            }
        }), EngineException.class);

        if (database.differs(Difference.A_FAILED_STATEMENT_FAILS_THE_TRANSACTION)) {
            assertThat(failure).hasMessageContaining("PostgreSQL aborted the whole transaction");
            assertThat(ids(engine)).isEmpty();
        } else {
            assertThat(failure).isNull();
            assertThat(ids(engine)).containsExactly(1);
        }
    }

    @Test
    void aReadUnitSeesOneSnapshotWhileOthersCommit() throws Exception {
        Engine engine = openWithTable("snapshot");
        engine.connections().execute(c -> insert(c, 1));
        CountDownLatch firstRead = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            awaited(firstRead);
            engine.connections().execute(c -> insert(c, 2));
            written.countDown();
        });
        int[] counts = engine.connections().read(c -> {
            int before = count(c);
            firstRead.countDown();
            awaited(written);
            return new int[] {before, count(c)};
        });
        writer.get(30, TimeUnit.SECONDS);

        assertThat(counts).containsExactly(1, 1);
        assertThat(ids(engine)).containsExactly(1, 2);
    }

    private static void awaited(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void dataSourceTransactionsCommitAndRollBack() throws Exception {
        Engine engine = openWithTable("ds");
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            c.rollback();
            insert(c, 2);
            c.commit();
        }
        assertThat(ids(engine)).containsExactly(2);
    }

    @Test
    void aDataSourceTransactionGoesOnAfterARollbackToASavepoint() throws Exception {
        Engine engine = openWithTable("ds");
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            Savepoint before = c.setSavepoint();
            assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
            c.rollback(before);
            insert(c, 2);
            c.commit();
        }
        assertThat(ids(engine)).containsExactly(1, 2);
    }

    @Test
    @Differs(Difference.A_FAILED_STATEMENT_FAILS_THE_TRANSACTION)
    void aDataSourceTransactionAfterAFailedStatement() throws Exception {
        Engine engine = openWithTable("ds");
        boolean failsTheTransaction = database.differs(Difference.A_FAILED_STATEMENT_FAILS_THE_TRANSACTION);
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
            if (failsTheTransaction) {
                assertThatThrownBy(() -> insert(c, 2)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("PostgreSQL aborted");
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class)
                        .hasMessageContaining("nothing of it was committed");
            } else {
                insert(c, 2);
                c.commit();
            }
            insert(c, 3);
            c.commit();
        }
        assertThat(ids(engine)).containsExactlyElementsOf(failsTheTransaction ? List.of(3) : List.of(1, 2, 3));
    }

    @Test
    void aWriteUnitRefusesToRunOnAThreadWhoseDataSourceTransactionHoldsTheWriter() throws Exception {
        Engine engine = openWithTable("itself");
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);

            assertThatThrownBy(() -> engine.connections().execute(inner -> insert(inner, 2)))
                    .isInstanceOf(EngineException.class).hasMessageContaining("would wait for itself");
            c.commit();
        }
        assertThat(ids(engine)).containsExactly(1);
    }

    @Test
    void aReadOnlyDataSourceConnectionRefusesWritesAndTheNextOneWritesAgain() throws Exception {
        Engine engine = openWithTable("ds");
        try (Connection c = engine.dataSource().getConnection()) {
            c.setReadOnly(true);
            assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
        }
        for (int i = 0; i < 3; i++) { // whichever pooled connection comes next writes
            try (Connection c = engine.dataSource().getConnection()) {
                insert(c, 10 + i);
            }
        }
        assertThat(ids(engine)).containsExactly(10, 11, 12);
    }

    @Test
    void aReadOnlyEngineRefusesWrites() {
        openWithTable("shared").close();
        Engine ro = database.open("ro", "readOnly", true);
        assertThat(ids(ro)).isEmpty();
        assertThatThrownBy(() -> ro.connections().execute(c -> insert(c, 1)))
                .isInstanceOf(ConnectionException.class).hasMessageContaining("read-only");
    }

    @Test
    void listenersHearConnectionsUnitsAndTransactions() throws Exception {
        SqliteEngine engine = database.open("events", "osgi.connection.min", 0);
        List<EngineEvent.Type> events = new CopyOnWriteArrayList<>();
        EngineListener all = new EngineListener() {
            @Override public void connected(EngineEvent e) { events.add(e.type()); }
            @Override public void checkedOut(EngineEvent e) { events.add(e.type()); }
            @Override public void checkedIn(EngineEvent e) { events.add(e.type()); }
            @Override public void begun(EngineEvent e) { events.add(e.type()); }
            @Override public void committed(EngineEvent e) { events.add(e.type()); }
        };
        engine.addListener(all);
        engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER)"));
        assertThat(events).containsExactly(EngineEvent.Type.CHECKOUT, EngineEvent.Type.BEGIN, EngineEvent.Type.COMMIT,
                EngineEvent.Type.CHECKIN);
        events.clear();
        try (Connection c = engine.connect()) {
            assertThat(count(c)).isZero();
        }
        assertThat(events).containsExactly(EngineEvent.Type.CONNECT, EngineEvent.Type.CHECKOUT, EngineEvent.Type.CHECKIN);
        engine.removeListener(all);
        events.clear();
        try (Connection c = engine.connect()) {
            assertThat(c.isClosed()).isFalse();
        }
        assertThat(events).isEmpty();
    }

    @Test
    void listenersHearRollbacksAndFailures() {
        SqliteEngine engine = openWithTable("failures");
        List<EngineEvent.Type> events = new CopyOnWriteArrayList<>();
        engine.addListener(new EngineListener() {
            @Override public void begun(EngineEvent e) { events.add(e.type()); }
            @Override public void committed(EngineEvent e) { events.add(e.type()); }
            @Override public void rolledBack(EngineEvent e) { events.add(e.type()); }
            @Override public void failed(EngineEvent e) { events.add(e.type()); }
        });
        engine.connections().execute(c -> insert(c, 1));
        assertThatThrownBy(() -> engine.connections().execute(c -> insert(c, 1))).isInstanceOf(EngineException.class);

        assertThat(events).containsSubsequence(EngineEvent.Type.BEGIN, EngineEvent.Type.COMMIT,
                EngineEvent.Type.BEGIN, EngineEvent.Type.ROLLBACK, EngineEvent.Type.ERROR);
    }

    @Test
    void namesAreUnique() {
        database.open("one");
        assertThatThrownBy(() -> database.open("one"))
                .isInstanceOfSatisfying(dev.sqliteengine.api.ConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("name"));
    }

    @Test
    void aSizeChangeIsAppliedInPlace() {
        SqliteEngine engine = database.open("size");
        javax.sql.DataSource before = engine.dataSource();
        assertThat(engine.reconfigure(database.settings("size", "osgi.connection.max", 3))).isTrue();
        assertThat(engine.status().pool("readers").orElseThrow().max()).isEqualTo(3);
        assertThat(engine.dataSource()).isSameAs(before);
        assertThat(engine.reconfigure(database.settings("size", "osgi.connection.max", 3))).isFalse();
    }
}
