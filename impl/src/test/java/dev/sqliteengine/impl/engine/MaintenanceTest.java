package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled maintenance keeps the WAL bounded and gives free pages back, on the one shared
 * maintenance thread, and stays off where it makes no sense.
 */
class MaintenanceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static Engine open(EngineRegistry registry, String name, String path, Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(more);
        properties.put("path", path);
        return SqliteEngine.open(EngineSettings.parse(properties, name, null), registry);
    }

    private static void createTable(Engine engine) {
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
    }

    private static void insertOne(Engine engine, long id) {
        engine.connections().execute(c -> c.createStatement().executeUpdate(
                "INSERT INTO items VALUES (" + id + ", printf('%.1000c', 'x'))"));
    }

    private static long pragma(Engine engine, String name) {
        return engine.connections().read(c -> {
            // A pragma such as auto_vacuum answers from what the connection last read of the
            // header, without a transaction of its own: read the file first.
            c.createStatement().executeQuery("SELECT count(*) FROM sqlite_schema").close();
            try (ResultSet r = c.createStatement().executeQuery("PRAGMA " + name)) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    private static long size(Path file) throws Exception {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /** The WAL header's salts, which SQLite changes every time it starts writing the WAL from its beginning again. */
    private static byte[] salts(Path wal) throws Exception {
        try (InputStream in = Files.newInputStream(wal)) {
            byte[] header = in.readNBytes(24);
            return header.length < 24 ? new byte[0] : Arrays.copyOfRange(header, 16, 24);
        }
    }

    @Test
    void aWalThatGrewUnderALongReaderIsTruncatedToNothingOnceTheEngineIsIdle() throws Exception {
        Path file = dir.resolve("idle.db");
        try (Engine engine = open(new EngineRegistry(), "idle", file.toString(), Map.of(
                "maintenance.idleTruncateAfter", 1000, "maintenance.checkpointInterval", 0))) {
            createTable(engine);
            CountDownLatch snapshotTaken = new CountDownLatch(1);
            CountDownLatch readerMayEnd = new CountDownLatch(1);
            ExecutorService reader = Executors.newSingleThreadExecutor();
            Future<?> longRead = reader.submit(() -> engine.connections().read(c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
                    r.next();
                }
                snapshotTaken.countDown();
                try {
                    readerMayEnd.await(); // holds its snapshot: no checkpoint may reset the WAL meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            snapshotTaken.await();
            int commits = 1500; // more than wal_autocheckpoint's 1000 pages
            for (int i = 0; i < commits; i++) {
                insertOne(engine, i);
            }
            Path wal = Path.of(file + "-wal");
            assertThat(size(wal)).isGreaterThan(commits * 4096L);

            readerMayEnd.countDown();
            longRead.get();
            reader.shutdown();

            await().atMost(PATIENCE).until(() -> size(wal) == 0);
            // Recorded once the checkpoint returned, a moment after SQLite truncated the file.
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(engine.status().wal().lastCheckpoint())
                    .as("the figures show maintenance's checkpoint").hasValueSatisfying(c -> {
                        assertThat(c.mode()).isEqualTo("TRUNCATE");
                        assertThat(c.completed()).isTrue();
                    }));
            int rows = engine.connections().read(c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(commits);
        }
    }

    @Test
    void underContinuousWritesWithReadersThatEndTheWalIsReusedFromItsStartSoItStaysBounded() throws Exception {
        Path file = dir.resolve("busy.db");
        // SQLite's own automatic checkpoints are off: only the engine's passive checkpoints keep the WAL down.
        try (Engine engine = open(new EngineRegistry(), "busy", file.toString(), Map.of(
                "pragma.wal_autocheckpoint", 0, "maintenance.checkpointInterval", 1000,
                "maintenance.idleTruncateAfter", 0))) {
            createTable(engine);
            Path wal = Path.of(file + "-wal");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong commits = new AtomicLong();
            ExecutorService load = Executors.newFixedThreadPool(3);
            Future<?> writer = load.submit(() -> {
                for (long i = 0; !stop.get(); i++) {
                    insertOne(engine, i);
                    commits.incrementAndGet();
                }
                return null;
            });
            Future<?> readers = load.submit(() -> {
                while (!stop.get()) {
                    pragma(engine, "user_version"); // a short read unit: it ends, and the next one begins
                }
                return null;
            });
            await().atMost(PATIENCE).until(() -> size(wal) >= 32);
            Set<String> restarts = new HashSet<>();
            await().atMost(PATIENCE).until(() -> {
                restarts.add(Arrays.toString(salts(wal)));
                return restarts.size() >= 4; // the first WAL and three restarts from its beginning
            });
            stop.set(true);
            writer.get();
            readers.get();
            load.shutdown();
            assertThat(engine.status().wal().lastCheckpoint()).as("the figures show maintenance's checkpoints")
                    .hasValueSatisfying(c -> assertThat(c.mode()).isEqualTo("PASSIVE"));

            // The same commits on an engine whose WAL is never checkpointed: its WAL holds every
            // frame written. Ours was started over at least three times, each time after frames
            // were written, so it holds fewer than all of them.
            long walWithMaintenance = size(wal);
            Path control = dir.resolve("control.db");
            try (Engine unmaintained = open(new EngineRegistry(), "control", control.toString(), Map.of(
                    "pragma.wal_autocheckpoint", 0, "maintenance.checkpointInterval", 0,
                    "maintenance.idleTruncateAfter", 0))) {
                createTable(unmaintained);
                for (long i = 0; i < commits.get(); i++) {
                    insertOne(unmaintained, i);
                }
                assertThat(walWithMaintenance).isLessThan(size(Path.of(control + "-wal")));
            }
        }
    }

    @Test
    void incrementalVacuumGivesFreePagesBackOnANewFileMadeIncremental() throws Exception {
        Path file = dir.resolve("vacuum.db");
        try (Engine engine = open(new EngineRegistry(), "vacuum", file.toString(), Map.of(
                "pragma.auto_vacuum", "INCREMENTAL", "maintenance.vacuumInterval", 1000, "maintenance.slice", 10))) {
            assertThat(pragma(engine, "auto_vacuum")).isEqualTo(2);
            createTable(engine);
            engine.connections().execute(c -> c.createStatement().executeUpdate(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                            + " INSERT INTO items SELECT i, printf('%.1000c', 'x') FROM n"));
            engine.connections().execute(c -> c.createStatement().executeUpdate("DELETE FROM items"));
            assertThat(pragma(engine, "freelist_count")).isGreaterThan(500);

            await().atMost(PATIENCE).until(() -> pragma(engine, "freelist_count") == 0);
        }
    }

    @Test
    void theFilePragmasShapeANewFileAndAreValidated() throws Exception {
        try (Engine engine = open(new EngineRegistry(), "shaped", dir.resolve("shaped.db").toString(), Map.of(
                "pragma.page_size", 8192, "pragma.auto_vacuum", "full"))) {
            assertThat(pragma(engine, "page_size")).isEqualTo(8192);
            assertThat(pragma(engine, "auto_vacuum")).isEqualTo(1);
            assertThat(engine.status().settings()).containsEntry("pragma.page_size", 8192L)
                    .containsEntry("pragma.auto_vacuum", "FULL");
        }
        // An existing file keeps what it has: they are properties of the file.
        try (Engine engine = open(new EngineRegistry(), "shaped", dir.resolve("shaped.db").toString(), Map.of())) {
            assertThat(pragma(engine, "page_size")).isEqualTo(8192);
            assertThat(pragma(engine, "auto_vacuum")).isEqualTo(1);
        }
        assertThatThrownBy(() -> EngineSettings.parse(Map.of("path", "x.db", "pragma.page_size", 3000), "bad", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pragma.page_size").hasMessageContaining("3000")
                .hasMessageContaining("a power of two from 512 to 65536");
        assertThatThrownBy(() -> EngineSettings.parse(Map.of("path", "x.db", "pragma.auto_vacuum", "sometimes"), "bad", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("one of NONE, FULL, INCREMENTAL");
    }

    @Test
    void aVacuumOnAConnectionThatSetTheFilePragmasChangesThemOnAnExistingFile() throws Exception {
        try (Engine engine = open(new EngineRegistry(), "revacuum", dir.resolve("revacuum.db").toString(), Map.of())) {
            createTable(engine);
            assertThat(pragma(engine, "auto_vacuum")).isZero();
            try (java.sql.Connection c = engine.connect(); java.sql.Statement s = c.createStatement()) {
                s.execute("PRAGMA auto_vacuum=INCREMENTAL");
                s.execute("VACUUM");
            }
            assertThat(pragma(engine, "auto_vacuum")).isEqualTo(2);
        }
    }

    @Test
    void pragmaOptimizeRunsWhenTheEngineCloses() throws Exception {
        Path file = dir.resolve("optimized.db");
        try (Engine engine = open(new EngineRegistry(), "optimized", file.toString(), Map.of())) {
            createTable(engine);
            engine.connections().execute(c -> c.createStatement().execute("CREATE INDEX items_v ON items(v)"));
            engine.connections().execute(c -> c.createStatement().executeUpdate(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                            + " INSERT INTO items SELECT i, 'v' || (i % 10) FROM n"));
            int statTables = engine.connections().read(c -> c.createStatement()
                    .executeQuery("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").getInt(1));
            assertThat(statTables).isZero();
        }
        try (java.sql.Connection c = OnlineBackupTest.readOnly(file); ResultSet r = c.createStatement()
                .executeQuery("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'items'")) {
            assertThat(r.getInt(1)).isPositive();
        }
    }

    @Test
    void badMaintenanceSettingsAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> EngineSettings.parse(Map.of("path", "x.db", "backup.interval", 60_000), "bad", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("[bad]").hasMessageContaining("backup.directory")
                .hasMessageContaining("backup.interval=60000 schedules backups");
        assertThatThrownBy(() -> EngineSettings.parse(Map.of("path", "x.db", "backup.directory", "relative/dir"), "bad", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("backup.directory").hasMessageContaining("an absolute folder path");
        assertThatThrownBy(() -> EngineSettings.parse(Map.of("path", "x.db", "maintenance.checkpointInterval", 10), "bad", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maintenance.checkpointInterval").hasMessageContaining("0 (off) or milliseconds from 1000");
        assertThatThrownBy(() -> EngineSettings.parse(Map.of("path", "x.db", "maintenance.slice", 5), "bad", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maintenance.slice").hasMessageContaining("milliseconds from 10 to 10000");
        assertThatThrownBy(() -> EngineSettings.parse(Map.of("path", "x.db", "maintenance.typo", 5), "bad", null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no such property");
    }

    @Test
    void allEnginesShareOneSchedulerAndMaintenanceIsOffInMemoryAndReadOnly() throws Exception {
        EngineRegistry registry = new EngineRegistry();
        Map<String, Object> rarely = Map.of("maintenance.checkpointInterval", 3_600_000,
                "maintenance.idleTruncateAfter", 3_600_000, "maintenance.optimizeInterval", 3_600_000,
                "maintenance.vacuumInterval", 3_600_000);
        try (Engine memory = open(registry, "memory", ":memory:", rarely)) {
            assertThat(registry.scheduler().scheduledTasks()).isZero();
        }
        Path file = dir.resolve("shared.db");
        try (Engine first = open(registry, "first", file.toString(), rarely)) {
            assertThat(registry.scheduler().scheduledTasks()).isEqualTo(4);
            try (Engine second = open(registry, "second", dir.resolve("second.db").toString(), rarely)) {
                assertThat(registry.scheduler().scheduledTasks()).isEqualTo(8);
            }
            assertThat(registry.scheduler().scheduledTasks()).isEqualTo(4);
            ((SqliteEngine) first).reconfigure(EngineSettings.parse(Map.of("path", file.toString(),
                    "maintenance.checkpointInterval", 0, "maintenance.idleTruncateAfter", 3_600_000,
                    "maintenance.optimizeInterval", 0, "maintenance.vacuumInterval", 0), "first", null));
            assertThat(registry.scheduler().scheduledTasks()).isEqualTo(1);
        }
        assertThat(registry.scheduler().scheduledTasks()).isZero();
        Map<String, Object> readOnly = new HashMap<>(rarely);
        readOnly.put("readOnly", true);
        try (Engine ro = open(registry, "ro", file.toString(), readOnly)) {
            assertThat(registry.scheduler().scheduledTasks()).isZero();
        }
    }

    @Test
    void closeWaitsForAScheduledBackupThatIsRunning() throws Exception {
        Path backups = dir.resolve("slow-backups");
        Engine engine = open(new EngineRegistry(), "slow", dir.resolve("slow.db").toString(), Map.of(
                "backup.interval", 1000, "backup.directory", backups.toString(), "backup.retain", 100));
        createTable(engine);
        engine.connections().execute(c -> c.createStatement().executeUpdate(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)"
                        + " INSERT INTO items SELECT i, printf('%.2000c', 'x') FROM n"));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> temporaryFiles(backups) > 0);

        engine.close(); // while that backup runs

        assertThat(temporaryFiles(backups)).isZero();
        try (var files = Files.list(backups)) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(backup -> {
                try (java.sql.Connection c = OnlineBackupTest.readOnly(backup);
                        ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
                    assertThat(r.getInt(1)).isEqualTo(30000);
                }
            });
        }
    }

    private static long temporaryFiles(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().contains(".tmp-")).count();
        }
    }

    private static List<Path> scheduledBackups(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().matches("kept-\\d{8}-\\d{6}-\\d{3}\\.db")).sorted().toList();
        }
    }

    @Test
    void scheduledBackupsArriveOnTimeAndOnlyTheNewestAreKept() throws Exception {
        Path backups = dir.resolve("backups");
        Files.createDirectories(backups);
        Path unrelated = Files.writeString(backups.resolve("keep-me.db"), "not ours");
        try (Engine engine = open(new EngineRegistry(), "kept", dir.resolve("kept.db").toString(), Map.of(
                "backup.interval", 1000, "backup.directory", backups.toString(), "backup.retain", 2))) {
            createTable(engine);
            Set<Path> seen = new HashSet<>();
            await().atMost(PATIENCE).until(() -> {
                seen.addAll(scheduledBackups(backups));
                return seen.size() >= 4;
            });
            // Between one backup's move into place and its pruning there are three for a moment,
            // and a file listed may be pruned before it is looked at: hence the retries.
            await().atMost(PATIENCE).ignoreExceptions().until(() -> {
                List<Path> left = scheduledBackups(backups);
                for (Path backup : left) {
                    assertThat(Files.getPosixFilePermissions(backup)).containsExactlyInAnyOrder(
                            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
                }
                return left.size() == 2;
            });
            assertThat(unrelated).isRegularFile();
        }
    }
}
