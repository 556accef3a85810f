package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.impl.figures.EngineMetrics;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each figure of {@code EngineStatus} moves when what it counts happens, on real database files.
 */
class EngineFiguresTest {

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();
    private final List<SqliteEngine> engines = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        threads.shutdownNow();
        engines.forEach(SqliteEngine::close);
    }

    private SqliteEngine open(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        map.put("path", dir.resolve("figures.db").toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(map, "figures", null), registry);
        engines.add(engine);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)"));
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
    void aQueueOfWritersShowsAsWaitingAndTheirWaitIsTimed() throws Exception {
        SqliteEngine engine = open();
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
        SqliteEngine engine = open("osgi.connection.timeout", 250);
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
        SqliteEngine engine = open("write.deadline", 1500, "write.retries", 100, "write.retryBackoff", 0,
                "pragma.busy_timeout", 200);
        try (Connection foreign = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("figures.db"));
                Statement s = foreign.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            assertThatThrownBy(() -> engine.connections().write(c -> null)).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("write.deadline");
            s.execute("ROLLBACK");
        }
        EngineStatus s = engine.status();
        assertThat(s.busyWaits()).isGreaterThanOrEqualTo(2);
        assertThat(s.retries()).isEqualTo(s.busyWaits() - 1);
        assertThat(s.timeouts()).isEqualTo(1);
        assertThat(s.errorsByCode().get("SQLITE_BUSY")).isEqualTo(s.busyWaits());
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
        assertThat(s.errorsByCode()).containsEntry("SQLITE_CONSTRAINT_PRIMARYKEY", 2L)
                .containsEntry("SQLITE_ERROR", 1L);
        assertThat(s.errors()).as("units that failed; statements of connect() fail to their caller").isEqualTo(1);
        assertThat(s.rollbacks()).isEqualTo(1);
        assertThat(s.busyWaits()).isZero();
    }

    @Test
    void theWalGrowsWithWritesAndACheckpointIsRecorded() {
        SqliteEngine engine = open("pragma.wal_autocheckpoint", 0);
        assertThat(engine.status().wal().lastCheckpoint()).isEmpty();
        for (int i = 0; i < 20; i++) {
            engine.connections().write(c -> c.createStatement().execute("INSERT INTO t(v) VALUES (randomblob(2000))"));
        }
        EngineStatus s = engine.status();
        assertThat(s.wal().sizeBytes()).isPositive();
        assertThat(s.wal().pages()).isGreaterThanOrEqualTo(20);

        CheckpointFigures passive = engine.management().checkpoint("passive");
        assertThat(passive.completed()).isTrue();
        assertThat(passive.mode()).isEqualTo("PASSIVE");
        assertThat(passive.walPages()).isEqualTo(s.wal().pages());
        assertThat(passive.checkpointedPages()).isEqualTo(s.wal().pages());
        assertThat(engine.status().wal().lastCheckpoint()).contains(passive);
        assertThat(engine.status().wal().sizeBytes()).as("a passive checkpoint leaves the file").isEqualTo(s.wal().sizeBytes());

        CheckpointFigures truncate = engine.management().checkpoint("TRUNCATE");
        assertThat(truncate.completed()).isTrue();
        s = engine.status();
        assertThat(s.wal().lastCheckpoint()).contains(truncate);
        assertThat(s.wal().sizeBytes()).as("truncated").isZero();
        assertThat(s.wal().pages()).isZero();
        assertThatThrownBy(() -> engine.management().checkpoint("HARD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("[figures] checkpoint mode HARD is invalid: one of PASSIVE, FULL, RESTART, TRUNCATE");
    }

    @Test
    void theFiguresGoOnAcrossAPoolSwitch() {
        SqliteEngine engine = open();
        engine.connections().write(c -> c.createStatement().execute("INSERT INTO t(v) VALUES (1)"));
        engine.connections().read(c -> null);
        EngineStatus before = engine.status();
        Map<String, Object> next = new HashMap<>(engine.settings().asProperties());
        next.put("pragma.synchronous", "FULL"); // needs new connections: a new pool generation
        assertThat(engine.reconfigure(EngineSettings.parse(next, "figures", null))).isTrue();
        engine.connections().read(c -> null);
        EngineStatus after = engine.status();
        assertThat(after.commits()).isEqualTo(before.commits());
        assertThat(after.readUnits().count()).isEqualTo(before.readUnits().count() + 1);
        assertThat(after.writeUnits().count()).isEqualTo(before.writeUnits().count());
        assertThat(after.checkoutWait().count()).isGreaterThan(before.checkoutWait().count());
        assertThat(after.reconfigurations()).isEqualTo(1);
    }
}
