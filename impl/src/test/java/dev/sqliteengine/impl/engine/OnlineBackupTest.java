package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * {@link Engine#backup}: a healthy, complete, private copy taken while writers go on, never
 * outside the allowed root.
 */
class OnlineBackupTest {

    @TempDir
    Path dir;

    private Engine open(EngineRegistry registry, String name, Path file) {
        return SqliteEngine.open(EngineSettings.parse(Map.of("path", file.toString(), "osgi.connection.max", 8),
                name, null), registry);
    }

    @Test
    void aBackupUnderEightWritersHoldsEveryRowAcknowledgedBeforeItStartedAndPassesIntegrityCheck() throws Exception {
        try (Engine engine = open(new EngineRegistry(), "live", dir.resolve("live.db"))) {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE items(id INTEGER PRIMARY KEY, payload TEXT)"));
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch warmedUp = new CountDownLatch(8 * 50);
            AtomicLong writesAfterBackupStarted = new AtomicLong();
            AtomicBoolean backupRunning = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long base = t * 10_000_000L;
                futures.add(writers.submit(() -> {
                    for (long i = 0; !stop.get(); i++) {
                        long id = base + i;
                        engine.connections().execute(c -> {
                            try (PreparedStatement s = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                                s.setLong(1, id);
                                s.setString(2, "x".repeat(200));
                                s.executeUpdate();
                            }
                        });
                        acknowledged.add(id);
                        warmedUp.countDown();
                        if (backupRunning.get()) {
                            writesAfterBackupStarted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            warmedUp.await();
            Set<Long> before = new HashSet<>(acknowledged);
            backupRunning.set(true);
            BackupResult result = engine.backup(dir.resolve("copies/live-copy.db"));
            backupRunning.set(false);
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(); // no writer failed meanwhile
            }
            writers.shutdown();

            assertThat(result.file()).isEqualTo(dir.resolve("copies/live-copy.db"));
            assertThat(result.pages()).isPositive();
            assertThat(Files.getPosixFilePermissions(result.file()))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.list(dir.resolve("copies"))).containsExactly(result.file()); // no temporary file left
            try (Connection c = readOnly(result.file()); Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo("ok");
                }
                Set<Long> copied = new HashSet<>();
                try (ResultSet r = s.executeQuery("SELECT id FROM items")) {
                    while (r.next()) {
                        copied.add(r.getLong(1));
                    }
                }
                assertThat(copied).containsAll(before);
                try (ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
                    r.next();
                    assertThat(r.getString(1)).isEqualToIgnoringCase("delete");
                }
            }
        }
    }

    @Test
    void aBackupNeverLandsOutsideTheAllowedRootNotEvenThroughALink() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("link"), elsewhere);
        try (Engine engine = open(new EngineRegistry(root), "rooted", root.resolve("db/rooted.db"))) {
            assertThatThrownBy(() -> engine.backup(dir.resolve("outside.db")))
                    .isInstanceOf(EngineException.class)
                    .hasMessage("[rooted] a backup must stay below the allowed root " + root
                            + " (framework property dev.sqliteengine.allowedRoot), but " + dir.resolve("outside.db")
                            + " resolves to " + dir.resolve("outside.db"));
            assertThatThrownBy(() -> engine.backup(root.resolve("link/copy.db")))
                    .isInstanceOf(EngineException.class)
                    .hasMessageContaining("resolves to " + elsewhere.resolve("copy.db"));

            engine.backup(root.resolve("inside/copy.db"));
        }
        assertThat(dir.resolve("outside.db")).doesNotExist();
        assertThat(elsewhere).isEmptyDirectory();
        assertThat(root.resolve("inside/copy.db")).isRegularFile();
    }

    @Test
    void aBackupNeverReplacesAFile() throws Exception {
        Path existing = Files.writeString(dir.resolve("existing.db"), "keep me");
        try (Engine engine = open(new EngineRegistry(), "keep", dir.resolve("keep.db"))) {
            assertThatThrownBy(() -> engine.backup(existing))
                    .hasMessage("[keep] " + existing + " exists; back up to a new file");
        }
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void anInMemoryEngineCanBeBackedUp() throws Exception {
        try (Engine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", ":memory:"), "mem", null),
                new EngineRegistry())) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t AS SELECT 42 AS answer"));
            Path copy = engine.backup(dir.resolve("mem.db")).file();
            try (Connection c = readOnly(copy); ResultSet r = c.createStatement().executeQuery("SELECT answer FROM t")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(42);
            }
        }
    }

    static Connection readOnly(Path file) throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
        return source.getConnection();
    }
}
