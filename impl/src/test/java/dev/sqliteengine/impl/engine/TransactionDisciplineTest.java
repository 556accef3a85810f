package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.SqlAction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One transaction discipline on every path: whether a connection comes from
 * {@code Engine.connect()}, from the {@code DataSource} or from a unit of work, the engine knows
 * the database's real transaction state, a connection goes back to its pool without a transaction
 * or a lock, a transaction the database rolled back (SQLite) or failed (PostgreSQL) by itself is
 * never continued in auto-commit mode, and every writer waits in the engine's writer queue instead
 * of failing with SQLITE_BUSY or a lock timeout.
 * <p>
 * Timeouts are short so that a lock left behind fails quickly: a lock wait (busy_timeout,
 * lockTimeout) of 200 ms (none where a held lock must fail at once), osgi.connection.timeout 2 s,
 * no retries of write units. On PostgreSQL the writer queue lets one writer in at a time
 * ({@code write.connections=1}), as SQLite's does, so that a place in it left behind shows.
 * Threads that must wait are observed parked (WAITING or TIMED_WAITING) with Awaitility; a wait
 * for the database's lock (SQLite's busy wait in native code, a PostgreSQL connection waiting for
 * the server's answer) shows as RUNNABLE, so it is never mistaken for queueing.
 */
@OnEveryDatabaseType
class TransactionDisciplineTest {

    /** Not a property: {@link #open} turns it into the database's lock wait (busy_timeout, lockTimeout), in ms. */
    private static final String LOCK_WAIT = "(lock wait)";
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final TestDatabase database;
    private final List<CountDownLatch> gates = new ArrayList<>();

    TransactionDisciplineTest(TestDatabase database) {
        this.database = database;
    }

    @AfterEach
    void releaseThreads() {
        gates.forEach(CountDownLatch::countDown);
    }

    /** An engine on the test's database with short timeouts; {@code overrides} are key, value pairs. */
    private Engine open(String name, Object... overrides) {
        Map<String, Object> properties = database.config(name, EngineProperties.CONNECTION_TIMEOUT, 2000L,
                EngineProperties.WRITE_RETRIES, 0);
        properties.putAll(database.kind().lockWait(200));
        properties.putAll(database.kind().oneWriter());
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i].equals(LOCK_WAIT)) {
                properties.putAll(database.kind().lockWait((Integer) overrides[i + 1]));
            } else {
                properties.put((String) overrides[i], overrides[i + 1]);
            }
        }
        return database.open(properties);
    }

    /** Like {@link #open}, with table {@code t(id INTEGER PRIMARY KEY, v TEXT)}. */
    private Engine openWithTable(String name, Object... overrides) {
        Engine engine = open(name, overrides);
        engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"));
        return engine;
    }

    /** Closes the engine and reads what a new engine on the same database finds: what really committed. */
    private Set<Integer> committedIds(Engine engine) {
        engine.close();
        return ids(open(engine.name()));
    }

    private CountDownLatch gate() {
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        return gate;
    }

    static void sql(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void insert(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO t(id, v) VALUES (?, ?)")) {
            s.setInt(1, id);
            s.setString(2, "row " + id);
            s.executeUpdate();
        }
    }

    static Set<Integer> idsIn(Connection c) throws SQLException {
        Set<Integer> ids = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM t")) {
            while (r.next()) {
                ids.add(r.getInt(1));
            }
        }
        return ids;
    }

    static Set<Integer> ids(Engine engine) {
        return engine.connections().read(TransactionDisciplineTest::idsIn);
    }

    static int count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static String prefix(Engine engine) {
        return "[" + engine.name() + "] ";
    }

    /** Where a test borrows a plain JDBC connection. */
    enum Source {
        CONNECT {
            @Override
            Connection borrow(Engine engine) {
                return engine.connect();
            }
        },
        DATA_SOURCE {
            @Override
            Connection borrow(Engine engine) throws SQLException {
                return engine.dataSource().getConnection();
            }
        };

        abstract Connection borrow(Engine engine) throws SQLException;
    }

    /**
     * Work on a thread of its own, so that a test can see the thread parked in a queue. Waiting
     * for it to park fails at once when the work finished instead (for example with SQLITE_BUSY).
     */
    static final class Background<T> {

        final CompletableFuture<T> result = new CompletableFuture<>();
        private final Thread thread;

        Background(String name, Callable<T> work) {
            thread = new Thread(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        void awaitParked() {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
                if (result.isDone()) {
                    throw new AssertionError(thread.getName() + " should wait its turn, but it finished: " + outcome(),
                            failure());
                }
                Thread.State state = thread.getState();
                return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
            });
        }

        private Throwable failure() {
            try {
                result.getNow(null);
                return null;
            } catch (CompletionException e) {
                return e.getCause();
            }
        }

        private String outcome() {
            Throwable failure = failure();
            return failure == null ? "returned " + result.getNow(null) : failure.toString();
        }
    }

    @Nested
    class AnAbandonedTransaction {

        /** BEGIN (IMMEDIATE) in auto-commit mode, a row, and close without commit or rollback. */
        private void abandon(Source source, Engine engine, int id) throws SQLException {
            try (Connection c = source.borrow(engine)) {
                sql(c, database.kind().beginWrite());
                insert(c, id);
            }
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void isRolledBackWhenItsConnectionGoesBackToThePool(Source source) throws Exception {
            Engine engine = openWithTable("abandoned", EngineProperties.CONNECTION_MAX, 1);
            abandon(source, engine, 1);
            try (Connection next = source.borrow(engine)) {
                assertThat(idsIn(next)).as("the next borrower of the same connection").doesNotContain(1);
            }
            assertThat(committedIds(engine)).doesNotContain(1);
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void leavesNoWriteLockBehindForTheNextWriteUnit(Source source) throws Exception {
            Engine engine = openWithTable("abandoned", EngineProperties.CONNECTION_MAX, 1);
            abandon(source, engine, 1);
            engine.connections().execute(c -> insert(c, 2));
            assertThat(ids(engine)).containsExactly(2);
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void doesNotSwallowTheAutoCommitsOfLaterBorrowers(Source source) throws Exception {
            Engine engine = openWithTable("abandoned", EngineProperties.CONNECTION_MAX, 1);
            abandon(source, engine, 1);
            try (Connection c = engine.connect()) {
                insert(c, 2);
            }
            try (Connection c = engine.dataSource().getConnection()) {
                insert(c, 3);
            }
            try (Connection c = engine.connect()) {
                insert(c, 4);
            }
            assertThat(committedIds(engine)).containsExactly(2, 3, 4);
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void handsTheNextBorrowerAConnectionWithNoTransactionOpen(Source source) throws Exception {
            Engine engine = openWithTable("abandoned", EngineProperties.CONNECTION_MAX, 1);
            abandon(source, engine, 1);
            try (Connection next = engine.dataSource().getConnection()) {
                assertThat(next.getAutoCommit()).isTrue();
                database.kind().assertNoTransactionOpen(next);
            }
        }
    }

    @Nested
    class AUnitThatClosesItsConnection {

        @Test
        void aWriteUnitThatClosesItsConnectionStillCommitsAndLaterWritesSucceed() {
            Engine engine = openWithTable("closer");
            String result = engine.connections().write(c -> {
                insert(c, 1);
                c.close();
                return "done";
            });
            assertThat(result).isEqualTo("done");
            assertThat(ids(engine)).containsExactly(1);
            for (int i = 2; i <= 11; i++) {
                int id = i;
                engine.connections().execute(c -> insert(c, id));
            }
            assertThat(committedIds(engine)).containsExactlyElementsOf(IntStream.rangeClosed(1, 11).boxed().toList());
        }

        @Test
        void aReadUnitThatClosesItsConnectionReturnsAndLaterReadsSeeFreshData() {
            Engine engine = openWithTable("closer", EngineProperties.CONNECTION_MAX, 1);
            int seen = engine.connections().read(c -> {
                int n = count(c);
                c.close();
                return n;
            });
            assertThat(seen).isZero();
            for (int i = 1; i <= 10; i++) {
                int id = i;
                engine.connections().execute(c -> insert(c, id));
                // a read transaction left open on the only reader would fail here, or see an old snapshot
                assertThat(engine.connections().<Integer>read(TransactionDisciplineTest::count)).isEqualTo(i);
            }
        }
    }

    /**
     * A failed statement that takes the whole transaction with it: SQLite rolls it back after
     * {@code INSERT OR ROLLBACK} (and {@code RAISE(ROLLBACK)}, see {@code NestedFullRollbackTest}),
     * PostgreSQL fails it after any failed statement. What the unit (or the JDBC user) does
     * afterwards must not run in auto-commit mode, where each statement would commit on its own.
     */
    @Nested
    class AFailureThatEndsTheWholeTransaction {

        private static final int EXISTING = 1;
        private static final int A = 10;
        private static final int B = 11;

        private Engine openSeeded() {
            Engine engine = openWithTable("fullrollback");
            engine.connections().execute(c -> insert(c, EXISTING));
            return engine;
        }

        private void insertOrRollbackExisting(Connection c) throws SQLException {
            sql(c, database.kind().insertThatEndsTheTransaction("t", EXISTING));
        }

        private void assertNothingOfTheUnitCommitted(Engine engine) {
            assertThat(ids(engine)).containsExactly(EXISTING);
            assertThat(committedIds(engine)).containsExactly(EXISTING);
        }

        @Test
        void anInsertOrRollbackCaughtInsideTheUnitFailsTheUnitAndNothingOfItCommits() {
            Engine engine = openSeeded();
            assertThatThrownBy(() -> engine.connections().execute(c -> {
                insert(c, A);
                assertThatThrownBy(() -> insertOrRollbackExisting(c)).isInstanceOf(SQLException.class);
                insert(c, B);
            })).isInstanceOf(EngineException.class).hasMessageStartingWith(prefix(engine));
            assertNothingOfTheUnitCommitted(engine);
        }

        /** Manual commit on a DataSource connection: A, then the full rollback; returns the open connection. */
        private Connection doomedTransaction(Engine engine) throws SQLException {
            Connection c = engine.dataSource().getConnection();
            c.setAutoCommit(false);
            insert(c, A);
            assertThatThrownBy(() -> insertOrRollbackExisting(c)).isInstanceOf(SQLException.class);
            return c;
        }

        @Test
        void inManualCommitModeTheNextStatementAndTheCommitFailAndNothingCommits() throws Exception {
            Engine engine = openSeeded();
            try (Connection c = doomedTransaction(engine)) {
                assertThatThrownBy(() -> insert(c, B)).as("a statement after the database ended the transaction")
                        .isInstanceOf(SQLException.class);
                assertThatThrownBy(c::commit).as("commit of a transaction the database ended")
                        .isInstanceOf(SQLException.class);
                c.rollback();
            }
            assertNothingOfTheUnitCommitted(engine);
        }

        @Test
        void afterTheFailedCommitTheConnectionRunsANewTransaction() throws Exception {
            Engine engine = openSeeded();
            try (Connection c = doomedTransaction(engine)) {
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
                insert(c, 20);
                c.commit();
                assertThat(c.getAutoCommit()).isFalse();
            }
            assertThat(ids(engine)).containsExactly(EXISTING, 20);
        }

        @Test
        void afterRollbackTheConnectionRunsANewTransaction() throws Exception {
            Engine engine = openSeeded();
            try (Connection c = doomedTransaction(engine)) {
                c.rollback();
                insert(c, 20);
                c.commit();
            }
            assertThat(ids(engine)).containsExactly(EXISTING, 20);
            assertThat(committedIds(engine)).containsExactly(EXISTING, 20);
        }
    }

    /** No lock wait: a lock held by the idle connection makes the write unit fail at once. */
    @Nested
    class AnIdleManualCommitConnection {

        private Engine engine;

        private void openEngine() {
            engine = openWithTable("idle", LOCK_WAIT, 0, EngineProperties.CONNECTION_TIMEOUT, 5000L);
        }

        private void assertAWriteUnitOnAnotherThreadSucceeds(int id) {
            Background<Void> unit = new Background<>("write-unit", () -> {
                engine.connections().execute(w -> insert(w, id));
                return null;
            });
            assertThat(unit.result).succeedsWithin(SETTLE);
            assertThat(ids(engine)).contains(id);
        }

        @Test
        void holdsNoLockAfterCommit() throws Exception {
            openEngine();
            try (Connection c = engine.dataSource().getConnection()) {
                c.setAutoCommit(false);
                insert(c, 1);
                c.commit();
                assertAWriteUnitOnAnotherThreadSucceeds(2);
            }
            assertThat(ids(engine)).containsExactly(1, 2);
        }

        @Test
        void holdsNoLockAfterRollback() throws Exception {
            openEngine();
            try (Connection c = engine.dataSource().getConnection()) {
                c.setAutoCommit(false);
                insert(c, 1);
                c.rollback();
                assertAWriteUnitOnAnotherThreadSucceeds(2);
            }
            assertThat(ids(engine)).containsExactly(2);
        }

        @Test
        void holdsNoLockRightAfterSetAutoCommitFalse() throws Exception {
            openEngine();
            try (Connection c = engine.dataSource().getConnection()) {
                c.setAutoCommit(false);
                assertAWriteUnitOnAnotherThreadSucceeds(2);
                insert(c, 1);
                c.commit();
            }
            assertThat(ids(engine)).containsExactly(1, 2);
        }

        @Test
        void holdsTheWriterOnceItHasWrittenAndAWaitingWriteUnitProceedsAtCommit() throws Exception {
            openEngine();
            try (Connection c = engine.dataSource().getConnection()) {
                c.setAutoCommit(false);
                insert(c, 1);
                Background<Void> unit = new Background<>("write-unit", () -> {
                    engine.connections().execute(w -> insert(w, 2));
                    return null;
                });
                unit.awaitParked();
                assertThat(unit.result).isNotDone();
                c.commit();
                assertThat(unit.result).succeedsWithin(SETTLE);
            }
            assertThat(committedIds(engine)).containsExactly(1, 2);
        }
    }

    @Nested
    class AReadOnlyTransaction {

        @Test
        void setReadOnlyIsAcceptedAndReported() throws Exception {
            Engine engine = openWithTable("readonly");
            try (Connection c = engine.dataSource().getConnection()) {
                c.setReadOnly(true);
                assertThat(c.isReadOnly()).isTrue();
            }
        }

        @Test
        void neverTakesTheWriteLockAndKeepsItsSnapshot() throws Exception {
            Engine engine = openWithTable("readonly", LOCK_WAIT, 0);
            engine.connections().execute(w -> insert(w, 1));
            try (Connection c = engine.dataSource().getConnection()) {
                c.setReadOnly(true);
                c.setAutoCommit(false);
                assertThat(count(c)).isEqualTo(1);
                Background<Void> unit = new Background<>("write-unit", () -> {
                    engine.connections().execute(w -> insert(w, 2));
                    return null;
                });
                assertThat(unit.result).succeedsWithin(SETTLE);
                assertThat(count(c)).as("the open read-only transaction keeps its snapshot").isEqualTo(1);
                c.commit();
                assertThat(count(c)).as("a new transaction sees the new row").isEqualTo(2);
            }
        }

        @Test
        void refusesToWrite() throws Exception {
            Engine engine = openWithTable("readonly");
            try (Connection c = engine.dataSource().getConnection()) {
                c.setReadOnly(true);
                c.setAutoCommit(false);
                assertThat(count(c)).isZero();
                assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
                c.rollback();
            }
            assertThat(ids(engine)).isEmpty();
        }

        @Test
        void cannotBeMadeWritableBySql() throws Exception {
            Engine engine = openWithTable("readonly", EngineProperties.CONNECTION_MAX, 1);
            try (Connection c = engine.dataSource().getConnection()) {
                c.setReadOnly(true);
                assertThatThrownBy(() -> sql(c, database.kind().makeWritable())).isInstanceOf(SQLException.class)
                        .hasMessageStartingWith(prefix(engine)).hasMessageEndingWith("is the engine's; use Connection.setReadOnly");
                assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
            }
            assertThat(ids(engine)).isEmpty();
        }

        @Test
        void setReadOnlyFalseAfterCommitLetsTheNextTransactionWrite() throws Exception {
            Engine engine = openWithTable("readonly");
            try (Connection c = engine.dataSource().getConnection()) {
                c.setReadOnly(true);
                c.setAutoCommit(false);
                assertThat(count(c)).isZero();
                c.commit();
                c.setReadOnly(false);
                assertThat(c.isReadOnly()).isFalse();
                insert(c, 1);
                c.commit();
            }
            assertThat(committedIds(engine)).containsExactly(1);
        }

        @Test
        void theNextBorrowerOfTheSameConnectionIsWritable() throws Exception {
            Engine engine = openWithTable("readonly", EngineProperties.CONNECTION_MAX, 1);
            try (Connection c = engine.dataSource().getConnection()) {
                c.setReadOnly(true);
                assertThat(count(c)).isZero();
            }
            try (Connection next = engine.dataSource().getConnection()) {
                assertThat(next.isReadOnly()).isFalse();
                insert(next, 1);
            }
            assertThat(ids(engine)).containsExactly(1);
        }

        @Test
        void everyConnectionOfAReadOnlyEngineReportsReadOnly() throws Exception {
            openWithTable("shared").close();
            Engine engine = open("ro", EngineProperties.READ_ONLY, true);
            try (Connection c = engine.connect()) {
                assertThat(c.isReadOnly()).as("connect()").isTrue();
            }
            try (Connection c = engine.dataSource().getConnection()) {
                assertThat(c.isReadOnly()).as("dataSource()").isTrue();
            }
            assertThat(engine.connections().<Boolean>read(Connection::isReadOnly)).as("read unit").isTrue();
        }
    }

    /**
     * No lock wait: a DataSource writer that met the database's lock instead of the engine's queue
     * would fail at once (SQLITE_BUSY, a lock timeout).
     */
    @Nested
    class DataSourceWriters {

        private Engine engine;
        private CountDownLatch release;

        private void openEngine(long connectionTimeout) {
            engine = open("queue", LOCK_WAIT, 0, EngineProperties.CONNECTION_TIMEOUT, connectionTimeout);
            engine.connections().execute(c -> sql(c, "CREATE TABLE q(id " + database.kind().autoIncrementKey() + ", who TEXT)"));
            release = gate();
        }

        private void insertQ(Connection c, String who) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO q(who) VALUES (?)")) {
                s.setString(1, who);
                s.executeUpdate();
            }
        }

        private long idOf(String who) {
            return engine.connections().read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM q WHERE who = ?")) {
                    s.setString(1, who);
                    try (ResultSet r = s.executeQuery()) {
                        assertThat(r.next()).as("row of %s", who).isTrue();
                        return r.getLong(1);
                    }
                }
            });
        }

        private void awaitRelease() {
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).as("released").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** T1: a write unit that holds the writer until {@link #release}. */
        private Background<Void> holdTheWriter() throws InterruptedException {
            CountDownLatch holding = new CountDownLatch(1);
            Background<Void> t1 = new Background<>("t1-unit", () -> {
                engine.connections().execute(c -> {
                    insertQ(c, "t1");
                    holding.countDown();
                    awaitRelease();
                });
                return null;
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).as("t1 holds the writer").isTrue();
            return t1;
        }

        /** T2: borrows on its own thread, then writes through the DataSource. */
        private Background<Void> dataSourceWriter(boolean manualCommit) throws InterruptedException {
            CountDownLatch borrowed = new CountDownLatch(1);
            Background<Void> t2 = new Background<>("t2-datasource", () -> {
                try (Connection c = engine.dataSource().getConnection()) {
                    borrowed.countDown();
                    if (manualCommit) {
                        c.setAutoCommit(false);
                        insertQ(c, "t2");
                        c.commit();
                    } else {
                        insertQ(c, "t2");
                    }
                }
                return null;
            });
            assertThat(borrowed.await(10, TimeUnit.SECONDS)).as("t2 has its connection").isTrue();
            return t2;
        }

        private void assertWaitsItsTurn(boolean manualCommit) throws Exception {
            openEngine(5000L);
            Background<Void> t1 = holdTheWriter();
            Background<Void> t2 = dataSourceWriter(manualCommit);
            t2.awaitParked();
            Background<Void> t3 = new Background<>("t3-unit", () -> {
                engine.connections().execute(c -> insertQ(c, "t3"));
                return null;
            });
            t3.awaitParked();
            release.countDown();
            assertThat(t1.result).succeedsWithin(SETTLE);
            assertThat(t2.result).succeedsWithin(SETTLE);
            assertThat(t3.result).succeedsWithin(SETTLE);
            assertThat(idOf("t1")).isLessThan(idOf("t2"));
            assertThat(idOf("t2")).as("first come, first served").isLessThan(idOf("t3"));
        }

        @Test
        void aManualCommitTransactionWaitsInTheWriterQueueAndKeepsItsTurn() throws Exception {
            assertWaitsItsTurn(true);
        }

        @Test
        void anAutoCommitInsertWaitsInTheWriterQueueAndKeepsItsTurn() throws Exception {
            assertWaitsItsTurn(false);
        }

        @Test
        void aTransactionThatWaitsLongerThanTheConnectionTimeoutFailsWithAnSQLException() throws Exception {
            openEngine(500L);
            Background<Void> t1 = holdTheWriter();
            try (Connection c = engine.dataSource().getConnection()) {
                Throwable failure = catchThrowable(() -> {
                    c.setAutoCommit(false);
                    insertQ(c, "t2");
                });
                assertThat(failure).isInstanceOf(SQLException.class).hasMessageContaining("osgi.connection.timeout");
                c.rollback();
            }
            release.countDown();
            assertThat(t1.result).succeedsWithin(SETTLE);
            try (Connection c = engine.dataSource().getConnection()) {
                c.setAutoCommit(false);
                insertQ(c, "after");
                c.commit();
            }
            assertThat(engine.connections().<Integer>read(c -> {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM q")) {
                    r.next();
                    return r.getInt(1);
                }
            })).isEqualTo(2);
        }
    }

    @Nested
    class InsideAUnitTheEngineOwnsTheTransaction {

        static Stream<Arguments> transactionControl() {
            return Stream.of(
                    Arguments.of("commit()", (SqlAction) Connection::commit),
                    Arguments.of("rollback()", (SqlAction) Connection::rollback),
                    Arguments.of("setAutoCommit(true)", (SqlAction) c -> c.setAutoCommit(true)),
                    Arguments.of("SQL COMMIT", (SqlAction) c -> sql(c, "COMMIT")),
                    Arguments.of("SQL BEGIN", (SqlAction) c -> sql(c, "BEGIN")),
                    Arguments.of("SQL ROLLBACK", (SqlAction) c -> sql(c, "ROLLBACK")),
                    Arguments.of("SQL END", (SqlAction) c -> sql(c, "END")),
                    Arguments.of("SQL START TRANSACTION", (SqlAction) c -> sql(c, "START TRANSACTION")),
                    Arguments.of("SQL ABORT", (SqlAction) c -> sql(c, "ABORT")),
                    Arguments.of("prepared COMMIT", (SqlAction) c -> {
                        try (PreparedStatement s = c.prepareStatement("COMMIT")) {
                            s.execute();
                        }
                    }));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("transactionControl")
        void transactionControlInAWriteUnitIsRefusedAndRollsTheUnitBack(String what, SqlAction control) {
            Engine engine = openWithTable("owner");
            AtomicReference<Throwable> refused = new AtomicReference<>();
            Throwable unitFailure = catchThrowable(() -> engine.connections().execute(c -> {
                insert(c, 1);
                try {
                    control.run(c);
                } catch (SQLException | RuntimeException e) {
                    refused.set(e);
                    throw e;
                }
            }));
            assertThat(refused.get()).as("%s inside a write unit must be refused", what)
                    .isInstanceOf(EngineException.class).hasMessageStartingWith(prefix(engine));
            assertThat(unitFailure).as("the unit lets the refusal propagate").isSameAs(refused.get());
            assertThat(ids(engine)).as("the unit is rolled back").isEmpty();
            engine.connections().execute(c -> insert(c, 2));
            assertThat(committedIds(engine)).containsExactly(2);
        }

        @Test
        void getAutoCommitInAWriteUnitIsFalse() {
            Engine engine = openWithTable("owner");
            assertThat(engine.connections().<Boolean>write(Connection::getAutoCommit)).isFalse();
        }

        @Test
        void aReadUnitCannotTurnQueryOnlyOff() {
            Engine engine = openWithTable("owner", EngineProperties.CONNECTION_MAX, 1);
            AtomicReference<Throwable> refused = new AtomicReference<>();
            Throwable unitFailure = catchThrowable(() -> engine.connections().read(c -> {
                try {
                    sql(c, database.kind().makeWritable());
                } catch (SQLException | RuntimeException e) {
                    refused.set(e);
                    throw e;
                }
                return null;
            }));
            assertThat(refused.get()).as("%s inside a read unit must be refused", database.kind().makeWritable())
                    .isInstanceOf(EngineException.class).hasMessageStartingWith(prefix(engine));
            assertThat(unitFailure).isSameAs(refused.get());
            // the same (only) reader: still query-only
            assertThatThrownBy(() -> engine.connections().read(c -> {
                insert(c, 1);
                return null;
            })).isInstanceOf(EngineException.class);
            assertThat(ids(engine)).isEmpty();
        }
    }

    @Nested
    class TheDataSourceIsAPlainPooledJdbcDataSource {

        private Engine engine;

        private Connection borrow(Source source) throws SQLException {
            if (engine == null) {
                engine = openWithTable("plain");
            }
            return source.borrow(engine);
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void unwrapsToTheDriversConnection(Source source) throws Exception {
            try (Connection c = borrow(source)) {
                assertThat(c.isWrapperFor(Connection.class)).isTrue();
                assertThat(c.isWrapperFor(database.kind().driverConnection())).isTrue();
                assertThat(c.unwrap(database.kind().driverConnection())).isNotNull();
                assertThat(c.unwrap(Connection.class)).isNotNull();
            }
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void describesItselfAsItsDatabase(Source source) throws Exception {
            try (Connection c = borrow(source)) {
                assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo(database.kind().productName());
                assertThat(c.getMetaData().getConnection()).isSameAs(c);
            }
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void batchesCommitInManualCommitMode(Source source) throws Exception {
            try (Connection c = borrow(source)) {
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO t(id, v) VALUES (?, 'batch')")) {
                    for (int id = 1; id <= 3; id++) {
                        s.setInt(1, id);
                        s.addBatch();
                    }
                    assertThat(s.executeBatch()).containsExactly(1, 1, 1);
                }
                try (Statement s = c.createStatement()) {
                    s.addBatch("INSERT INTO t(id, v) VALUES (4, 'batch')");
                    s.addBatch("INSERT INTO t(id, v) VALUES (5, 'batch')");
                    assertThat(s.executeBatch()).containsExactly(1, 1);
                }
                c.commit();
            }
            assertThat(committedIds(engine)).containsExactly(1, 2, 3, 4, 5);
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void statementsReturnTheConnectionTheyCameFrom(Source source) throws Exception {
            try (Connection c = borrow(source)) {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
                    assertThat(s.getConnection()).isSameAs(c);
                    assertThat(r.getStatement()).isSameAs(s);
                }
                try (PreparedStatement s = c.prepareStatement("SELECT ?")) {
                    assertThat(s.getConnection()).isSameAs(c);
                }
            }
        }

        @ParameterizedTest
        @EnumSource(Source.class)
        void closingTwiceIsHarmlessAndAClosedConnectionRefusesWork(Source source) throws Exception {
            Connection c = borrow(source);
            c.close();
            c.close();
            assertThat(c.isClosed()).isTrue();
            assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> c.prepareStatement("SELECT 1")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> c.setAutoCommit(false)).isInstanceOf(SQLException.class);
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            try (Connection next = borrow(source)) {
                assertThat(count(next)).isZero();
            }
        }
    }
}
