package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.impl.figures.EngineMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each figure of {@code EngineStatus} moves when what it counts happens, on real databases. Where
 * a test is about the writer queue, PostgreSQL's lets one writer in at a time, as SQLite's does.
 * The WAL's figures are SQLite's ({@code WalFiguresTest}).
 */
@OnEveryDatabaseType
class EngineFiguresTest {

    private final TestDatabase database;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    EngineFiguresTest(TestDatabase database) {
        this.database = database;
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
    }

    private SqliteEngine open(Object... keyValues) {
        return openWithTable(database.config("figures", keyValues));
    }

    /** Like {@link #open}, with one place in the writer queue. */
    private SqliteEngine openWithOneWriter(Object... keyValues) {
        Map<String, Object> config = database.config("figures", keyValues);
        config.putAll(database.kind().oneWriter());
        return openWithTable(config);
    }

    private SqliteEngine openWithTable(Map<String, Object> config) {
        SqliteEngine engine = database.open(config);
        engine.connections().execute(c -> c.createStatement().execute(
                "CREATE TABLE t(id " + database.kind().autoIncrementKey() + ", v INTEGER)"));
        return engine;
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("released").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return a write unit on another thread that holds the writer until {@code release} */
    private Future<?> holdWriter(SqliteEngine engine, CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Future<?> holder = threads.submit(() -> engine.connections().write(c -> {
            holding.countDown();
            awaitOrFail(release);
            return null;
        }));
        assertThat(holding.await(30, TimeUnit.SECONDS)).as("the writer is held").isTrue();
        return holder;
    }

    @Test
    void aHeldConnectionShowsAsActiveAndItsUseIsTimedWhenItGoesBack() throws Exception {
        SqliteEngine engine = open();
        long before = engine.status().connectionUsage().count();
        try (Connection held = engine.connect()) {
            assertThat(engine.status().pool("dataSource").orElseThrow().active()).isEqualTo(1);
            assertThat(engine.status().activeConnections()).isEqualTo(1);
        }
        assertThat(engine.status().pool("dataSource").orElseThrow().active()).isZero();
        // Units' checkouts are all timed; connect()'s are sampled (one in CLIENT_SAMPLE, counted as many)
        engine.connections().read(c -> null);
        EngineStatus s = engine.status();
        assertThat(s.connectionUsage().count()).isGreaterThan(before);
        assertThat(s.checkoutWait().count()).isGreaterThan(0);
        for (int i = 0; i < 50 * EngineMetrics.CLIENT_SAMPLE; i++) {
            engine.connect().close();
        }
        assertThat(engine.status().checkoutWait().count()).as("sampled connect() checkouts")
                .isGreaterThan(s.checkoutWait().count());
    }

    @Test
    void unitsAreTimedAndCounted() {
        SqliteEngine engine = open();
        long reads = engine.status().readUnits().count();
        long writes = engine.status().writeUnits().count();
        engine.connections().read(c -> null);
        engine.connections().write(c -> c.createStatement().execute("INSERT INTO t(v) VALUES (1)"));
        EngineStatus s = engine.status();
        assertThat(s.readUnits().count()).isEqualTo(reads + 1);
        assertThat(s.writeUnits().count()).isEqualTo(writes + 1);
        assertThat(s.writeUnits().windowCount()).isGreaterThanOrEqualTo(1);
        assertThat(s.writeUnits().maxNanos()).isPositive();
        assertThat(s.writeUnits().totalNanos()).isPositive();
        assertThat(s.commits()).isEqualTo(2); // the CREATE TABLE and the INSERT
    }

    @Test
    void manyThreadsUnitsAreEachCountedOnce() throws Exception {
        SqliteEngine engine = open("osgi.connection.max", 4);
        EngineStatus before = engine.status();
        int threadCount = 8;
        int each = 100;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            done.add(threads.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    engine.connections().read(c -> null);
                    if (i % 10 == 0) {
                        engine.connections().write(c -> c.createStatement().execute("INSERT INTO t(v) VALUES (1)"));
                    }
                    engine.status(); // readers rotate the windows while others record
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        EngineStatus s = engine.status();
        long writes = (long) threadCount * each / 10;
        assertThat(s.readUnits().count()).isEqualTo(before.readUnits().count() + (long) threadCount * each);
        assertThat(s.readUnits().windowCount()).isEqualTo(s.readUnits().count());
        assertThat(s.writeUnits().count()).isEqualTo(before.writeUnits().count() + writes);
        assertThat(s.commits()).isEqualTo(before.commits() + writes);
        assertThat(s.writerQueue().waitTime().count()).isEqualTo(before.writerQueue().waitTime().count() + writes);
        assertThat(s.errors()).isZero();
    }

    @Test
    @Differs(Difference.WRITERS_RUN_SIDE_BY_SIDE)
    void whileAWriteUnitRunsASecondOneWaitsForItOrRunsBesideIt() throws Exception {
        SqliteEngine engine = open(); // the engine's defaults: PostgreSQL's write.connections is 10
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = holdWriter(engine, release);
        Future<?> second = threads.submit(() -> engine.connections().write(c -> c.createStatement()
                .execute("INSERT INTO t(v) VALUES (2)")));
        try {
            if (database.differs(Difference.WRITERS_RUN_SIDE_BY_SIDE)) {
                second.get(10, TimeUnit.SECONDS);
                assertThat(engine.status().writerQueue().waiting()).isZero();
            } else {
                await().atMost(Duration.ofSeconds(10)).until(() -> engine.status().writerQueue().waiting() == 1);
                assertThat(second).isNotDone();
            }
        } finally {
            release.countDown();
        }
        holder.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(engine.status().writerQueue().waiting()).isZero();
        assertThat(engine.status().errors()).isZero();
    }

    @Test
    void aQueueOfWritersShowsAsWaitingAndTheirWaitIsTimed() throws Exception {
        SqliteEngine engine = openWithOneWriter();
        long waitsBefore = engine.status().writerQueue().waitTime().count();
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = holdWriter(engine, release);
        int queued = 4;
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < queued; i++) {
            writers.add(threads.submit(() -> engine.connections().write(c -> c.createStatement()
                    .execute("INSERT INTO t(v) VALUES (1)"))));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.status().writerQueue().waiting() == queued);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        for (Future<?> w : writers) {
            w.get(10, TimeUnit.SECONDS);
        }
        EngineStatus s = engine.status();
        assertThat(s.writerQueue().waiting()).isZero();
        assertThat(s.writerQueue().waitTime().count()).isEqualTo(waitsBefore + 1 + queued);
        assertThat(s.writerQueue().waitTime().maxNanos()).as("a writer waited for the holder").isPositive();
        assertThat(s.writerQueue().timeouts()).isZero();
    }

    @Test
    void aWriterThatGivesUpInTheQueueIsATimeout() throws Exception {
        SqliteEngine engine = openWithOneWriter("osgi.connection.timeout", 250);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = holdWriter(engine, release);
        try {
            assertThatThrownBy(() -> engine.connections().write(c -> null)).isInstanceOf(ConnectionException.class);
        } finally {
            release.countDown();
        }
        holder.get(10, TimeUnit.SECONDS);
        EngineStatus s = engine.status();
        assertThat(s.writerQueue().timeouts()).isEqualTo(1);
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.errorsByCode()).containsEntry("NONE", 1L);
    }

    @Test
    void aCheckoutThatFindsNoFreeConnectionInTimeIsATimeout() throws Exception {
        SqliteEngine engine = open("osgi.connection.max", 1, "osgi.connection.timeout", 250);
        try (Connection held = engine.connect()) {
            assertThatThrownBy(engine::connect).isInstanceOf(ConnectionException.class);
        }
        assertThat(engine.status().timeouts()).isEqualTo(1);
        assertThat(engine.status().errors()).isEqualTo(1);
    }

    @Test
    void aForeignConnectionHoldingTheLockShowsBusyWaitsRetriesAndATimeout() throws Exception {
        // As in WritesGiveUpByTheirDeadlineTest: runs of 200 ms until the deadline ends them
        Map<String, Object> config = database.config("figures", "write.deadline", 1500, "write.retries", 100,
                "write.retryBackoff", 0);
        config.putAll(database.kind().lockWait(200));
        SqliteEngine engine = openWithTable(config);
        try (Connection foreign = database.foreignConnection(); Statement s = foreign.createStatement()) {
            database.kind().lockAgainstWriters(s, "t");
            assertThatThrownBy(() -> engine.connections().write(c -> c.createStatement()
                    .execute("INSERT INTO t(v) VALUES (1)"))).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("write.deadline");
            s.execute("ROLLBACK");
        }
        EngineStatus s = engine.status();
        assertThat(s.busyWaits()).isGreaterThanOrEqualTo(2);
        assertThat(s.retries()).isEqualTo(s.busyWaits() - 1);
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.errorsByCode().get(database.kind().lockWaitCode())).isEqualTo(s.busyWaits());
        assertThat(s.errors()).isEqualTo(s.busyWaits());
    }

    @Test
    void anErrorIsCountedUnderItsResultCode() throws Exception {
        SqliteEngine engine = open();
        engine.connections().write(c -> c.createStatement().execute("INSERT INTO t(id, v) VALUES (1, 1)"));
        assertThatThrownBy(() -> engine.connections().write(c -> c.createStatement()
                .execute("INSERT INTO t(id, v) VALUES (1, 2)"))).isInstanceOf(EngineException.class);
        try (Connection c = engine.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO t(id, v) VALUES (1, 3)")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("SELECT nosuch FROM t")).isInstanceOf(SQLException.class);
        }
        EngineStatus s = engine.status();
        assertThat(s.errorsByCode()).containsEntry(database.kind().uniqueViolationCode(), 2L)
                .containsEntry(database.kind().noSuchColumnCode(), 1L);
        assertThat(s.errors()).as("units that failed; statements of connect() fail to their caller").isEqualTo(1);
        assertThat(s.rollbacks()).isEqualTo(1);
        assertThat(s.busyWaits()).isZero();
    }

    @Test
    void theFiguresGoOnAcrossAPoolSwitch() {
        SqliteEngine engine = open();
        engine.connections().write(c -> c.createStatement().execute("INSERT INTO t(v) VALUES (1)"));
        engine.connections().read(c -> null);
        EngineStatus before = engine.status();
        // needs new connections: a new pool generation
        assertThat(engine.reconfigure(database.settings("figures", LiveSettings.changeNeedingNewConnections(database.kind())))).isTrue();
        engine.connections().read(c -> null);
        EngineStatus after = engine.status();
        assertThat(after.commits()).isEqualTo(before.commits());
        assertThat(after.readUnits().count()).isEqualTo(before.readUnits().count() + 1);
        assertThat(after.writeUnits().count()).isEqualTo(before.writeUnits().count());
        assertThat(after.checkoutWait().count()).isGreaterThan(before.checkoutWait().count());
        assertThat(after.reconfigurations()).isEqualTo(1);
    }
}
