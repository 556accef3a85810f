package dev.sqliteengine.impl.engine;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineHealth.Finding;
import dev.sqliteengine.api.EngineHealth.Status;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.impl.operations.HealthThreads;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Engine.health()}: each check goes WARN or CRITICAL for its reason, and back to OK. */
class EngineHealthTest {

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();
    private final List<SqliteEngine> engines = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() {
        threads.shutdownNow();
        engines.forEach(SqliteEngine::close);
    }

    private SqliteEngine open(String name, Object... keyValues) {
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(config(name, keyValues), name, null), registry);
        engines.add(engine);
        return engine;
    }

    private Map<String, Object> config(String name, Object... keyValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("path", dir.resolve(name + ".db").toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private static Finding finding(SqliteEngine engine, String check) {
        return engine.health().finding(check).orElseThrow();
    }

    @Test
    void aNewEngineIsOkWithOneFindingPerCheck() {
        SqliteEngine engine = open("fresh");
        EngineHealth health = engine.health();
        assertThat(health.engine()).isEqualTo("fresh");
        assertThat(health.status()).isEqualTo(Status.OK);
        assertThat(health.problems()).isEmpty();
        assertThat(health.findings()).extracting(Finding::check).containsExactly(EngineHealth.STATE,
                EngineHealth.QUICK_CHECK, EngineHealth.SATURATION, EngineHealth.ERRORS, EngineHealth.WAL,
                EngineHealth.CONFIGURATION);
        assertThat(health.finding(EngineHealth.QUICK_CHECK).orElseThrow().message())
                .isEqualTo("not run on this file yet; it runs every 3600000 ms");
    }

    @Test
    void manyWaitersOnASaturatedPoolTurnItWarnAndItIsOkAgainOnceTheyAreServed() throws Exception {
        SqliteEngine engine = open("saturated", "osgi.connection.max", 1, "health.saturationThreshold", 250);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        // the only reader and the writer, held
        List<Future<?>> holders = List.of(
                threads.submit(() -> engine.connections().read(c -> hold(holding, release))),
                threads.submit(() -> engine.connections().execute(c -> hold(holding, release))));
        assertThat(holding.await(10, SECONDS)).isTrue();
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            waiters.add(threads.submit(() -> engine.connections().read(c -> c.createStatement().execute("SELECT 1"))));
            waiters.add(threads.submit(() -> engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"))));
        }
        // health asked from several threads at once while the sampler runs
        List<Future<EngineHealth>> askers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            askers.add(threads.submit(() -> await().atMost(20, SECONDS).until(engine::health,
                    h -> h.finding(EngineHealth.SATURATION).orElseThrow().status() == Status.WARN)));
        }
        for (Future<EngineHealth> asker : askers) {
            EngineHealth warn = asker.get(30, SECONDS);
            assertThat(warn.status()).isEqualTo(Status.WARN);
        }
        await().atMost(20, SECONDS).untilAsserted(() -> assertThat(finding(engine, EngineHealth.SATURATION).message())
                .contains("readers has had threads waiting").contains("writer has had threads waiting")
                .contains("health.saturationThreshold=250"));

        release.countDown();
        for (Future<?> f : holders) {
            f.get(30, SECONDS);
        }
        for (Future<?> f : waiters) {
            f.get(30, SECONDS);
        }
        await().atMost(20, SECONDS).until(() -> engine.health().status() == Status.OK);
        assertThat(finding(engine, EngineHealth.SATURATION).message()).isEqualTo("no pool has had waiters for 250 ms");
    }

    private static boolean hold(CountDownLatch holding, CountDownLatch release) {
        holding.countDown();
        try {
            return release.await(60, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void quickCheckRunsOnAReaderWhileTheWriterIsHeldAndACorruptedFileIsCritical() throws Exception {
        String name = "damaged";
        SqliteEngine engine = open(name, "health.quickCheckInterval", 1000);
        engine.connections().execute(c -> {
            c.createStatement().execute("CREATE TABLE t(id INTEGER PRIMARY KEY, text TEXT)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO t(text) VALUES (?)")) {
                for (int i = 0; i < 20_000; i++) {
                    insert.setString(1, "row number " + i + " with some text to fill the pages");
                    insert.executeUpdate();
                }
            }
        });
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> writer = threads.submit(() -> engine.connections().execute(c -> hold(holding, release)));
        assertThat(holding.await(10, SECONDS)).isTrue();
        // the writer gate is held all along: the check does not need it
        await().atMost(30, SECONDS).untilAsserted(() -> assertThat(finding(engine, EngineHealth.QUICK_CHECK))
                .satisfies(f -> assertThat(f.status()).isEqualTo(Status.OK))
                .satisfies(f -> assertThat(f.message()).startsWith("PRAGMA quick_check found no problems (at ")));
        release.countDown();
        writer.get(30, SECONDS);
        int pageSize = engine.connections().read(c -> intOf(c.createStatement(), "PRAGMA page_size"));
        int pages = engine.connections().read(c -> intOf(c.createStatement(), "PRAGMA page_count"));
        engine.close(); // checkpoints: every page is in the file

        // Garbage over the cells of three leaf pages in the middle of the table's b-tree, behind
        // their intact headers and cell pointers, so SQLite walks into the garbage (never page 1)
        Random random = new Random(13);
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name + ".db").toFile(), "rw")) {
            byte[] garbage = new byte[pageSize / 2];
            for (int page = pages / 2; page < pages / 2 + 3; page++) {
                random.nextBytes(garbage);
                file.seek((long) page * pageSize + pageSize / 2);
                file.write(garbage);
            }
        }

        SqliteEngine reopened = open(name, "health.quickCheckInterval", 1000);
        await().atMost(30, SECONDS).until(() -> reopened.health().status() == Status.CRITICAL);
        Finding critical = finding(reopened, EngineHealth.QUICK_CHECK);
        assertThat(critical.status()).isEqualTo(Status.CRITICAL);
        // what SQLite found, in one line: "PRAGMA quick_check found 91 problem(s), the first: Tree 2 page 143 cell 36: ..."
        assertThat(critical.message()).matches("PRAGMA quick_check found \\d+ problem\\(s\\), the first: Tree \\d+ page \\d+ .*")
                .doesNotContain("\n");
        assertThat(reopened.health().problems()).first().isEqualTo(critical);
    }

    private static int intOf(Statement s, String sql) throws SQLException {
        try (s; ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void aWalAboveTheThresholdIsWarnUntilATruncatingCheckpointOrAHigherThreshold() throws Exception {
        SqliteEngine engine = open("wal", "health.walWarnSize", 1);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
        Finding wal = finding(engine, EngineHealth.WAL);
        assertThat(wal.status()).isEqualTo(Status.WARN);
        assertThat(wal.message()).startsWith("the WAL file has ").contains("more than health.walWarnSize=1");

        // what engine:checkpoint runs
        try (java.sql.Connection c = engine.connect(); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        assertThat(finding(engine, EngineHealth.WAL)).isEqualTo(new Finding(EngineHealth.WAL, Status.OK, "0 bytes, at most 1"));

        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        assertThat(finding(engine, EngineHealth.WAL).status()).isEqualTo(Status.WARN);

        engine.reconfigure(EngineSettings.parse(config("wal", "health.walWarnSize", 1L << 30), "wal", null));
        assertThat(finding(engine, EngineHealth.WAL).status()).isEqualTo(Status.OK);
        assertThat(engine.health().status()).isEqualTo(Status.OK);
    }

    @Test
    void errorsWithinTheWindowAreWarnAndAgeOut() {
        SqliteEngine engine = open("errors", "health.errorWindow", 1000);
        for (int i = 0; i < 3; i++) {
            try {
                engine.connections().execute(c -> c.createStatement().execute("INSERT INTO nosuch VALUES (1)"));
            } catch (RuntimeException expected) {
                // counted as an error
            }
        }
        Finding errors = finding(engine, EngineHealth.ERRORS);
        assertThat(errors.status()).isEqualTo(Status.WARN);
        assertThat(errors.message()).startsWith("3 failed unit(s) of work or connection(s) in the last 1000 ms");
        await().atMost(20, SECONDS).until(() -> engine.health().status() == Status.OK);
        assertThat(finding(engine, EngineHealth.ERRORS).message()).isEqualTo("no errors in the last 1000 ms");
    }

    @Test
    void aRejectedConfigurationIsWarnUntilAnUpdateApplies() {
        SqliteEngine engine = open("rejected");
        try {
            EngineSettings.parse(config("rejected", "health.walWarnSize", "-5"), "rejected", null);
        } catch (ConfigurationException e) {
            engine.reject(e);
        }
        Finding rejected = finding(engine, EngineHealth.CONFIGURATION);
        assertThat(rejected.status()).isEqualTo(Status.WARN);
        assertThat(rejected.message()).isEqualTo("the latest configuration update was rejected: health.walWarnSize=-5"
                + " is invalid: 0 (off) or bytes from 1 to 1099511627776");

        engine.reconfigure(EngineSettings.parse(config("rejected", "health.errorWindow", 0), "rejected", null));
        assertThat(engine.health().status()).isEqualTo(Status.OK);
        assertThat(finding(engine, EngineHealth.ERRORS).message()).isEqualTo("off (health.errorWindow=0)");
    }

    @Test
    void fiveEnginesAreWatchedByOneSamplerThread() {
        List<SqliteEngine> engines = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                engines.add(SqliteEngine.open(EngineSettings.parse(Map.of("path", ":memory:"), "shared" + i, null), registry));
            }
            await().atMost(20, SECONDS).until(() -> registry.healthThreads().sampledEngines() == 5);
            String sampler = HealthThreads.THREAD_PREFIX + "sampler-" + Integer.toHexString(System.identityHashCode(registry));
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals(sampler)).hasSize(1);
        } finally {
            engines.forEach(SqliteEngine::close);
        }
        await().atMost(20, SECONDS).until(() -> registry.healthThreads().sampledEngines() == 0);
    }

    @Test
    void anInMemoryEngineHasNoQuickCheckNorWalAndAClosedEngineIsCritical() {
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", ":memory:",
                "health.quickCheckInterval", 1000), "memory", null), registry);
        assertThat(finding(engine, EngineHealth.QUICK_CHECK).message()).isEqualTo("not run on an in-memory database");
        assertThat(finding(engine, EngineHealth.WAL).message()).isEqualTo("no WAL file: an in-memory database");
        assertThat(engine.health().status()).isEqualTo(Status.OK);
        // between two runs the task sits in the shared sampler's queue; while it runs, it is out of it
        await("sampled on the registry's shared thread").atMost(20, SECONDS)
                .until(() -> registry.healthThreads().sampledEngines() == 1);
        engine.close();
        await("no sampling left after close").atMost(20, SECONDS)
                .until(() -> registry.healthThreads().sampledEngines() == 0);
        EngineHealth closed = engine.health();
        assertThat(closed.status()).isEqualTo(Status.CRITICAL);
        assertThat(closed.problems()).singleElement().satisfies(f -> {
            assertThat(f.check()).isEqualTo(EngineHealth.STATE);
            assertThat(f.message()).isEqualTo("the engine is closed; no new work is accepted");
        });
    }
}
