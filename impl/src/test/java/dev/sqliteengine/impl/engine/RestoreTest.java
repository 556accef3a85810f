package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.RestoreResult;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Engine#restore}: the engine object stays, readers wait through a bounded pause, and a
 * file that is not a healthy database, or lies outside the allowed root, never replaces the data.
 */
class RestoreTest {

    @TempDir
    Path dir;

    private static Engine open(EngineRegistry registry, String name, Path file, Map<String, Object> more) {
        Map<String, Object> properties = new java.util.HashMap<>(more);
        properties.put("path", file.toString());
        return SqliteEngine.open(EngineSettings.parse(properties, name, null), registry);
    }

    private static void insert(Engine engine, int from, int to) {
        engine.connections().execute(c -> c.createStatement().executeUpdate(
                "WITH RECURSIVE n(value) AS (SELECT " + from + " UNION ALL SELECT value + 1 FROM n WHERE value < " + to
                        + ") INSERT INTO items SELECT value, 'row ' || value FROM n"));
    }

    private static int count(Engine engine) {
        return engine.connections().read(c -> {
            try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    @Test
    void aRestoreUnderReadLoadServesTheBackupsRowsAndNoReadFails() throws Exception {
        try (Engine engine = open(new EngineRegistry(), "restored", dir.resolve("live.db"), Map.of())) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
            insert(engine, 1, 100);
            Path backup = engine.backup(dir.resolve("backup.db")).file();
            insert(engine, 101, 5000);

            AtomicBoolean stop = new AtomicBoolean();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Queue<Integer> seen = new ConcurrentLinkedQueue<>();
            CountDownLatch reading = new CountDownLatch(4);
            ExecutorService readers = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(readers.submit(() -> {
                    reading.countDown();
                    while (!stop.get()) {
                        try {
                            seen.add(count(engine));
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            reading.await();

            RestoreResult result = engine.restore(backup);

            assertThat(count(engine)).isEqualTo(100);
            stop.set(true);
            for (Future<?> f : futures) {
                f.get();
            }
            readers.shutdown();
            assertThat(failures).isEmpty();
            assertThat(seen).containsOnly(5000, 100); // the old rows or the backup's, never a mixture
            assertThat(result.pages()).isPositive();
            assertThat(result.source()).isEqualTo(backup);
            assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
            insert(engine, 101, 101); // and it writes again
            assertThat(count(engine)).isEqualTo(101);
        }
    }

    @Test
    void aTextFileATruncatedDatabaseAndAFileOutsideTheRootAreRefusedAndTheOldDataKeepsServing() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        try (Engine engine = open(new EngineRegistry(root), "kept", root.resolve("kept.db"), Map.of())) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
            insert(engine, 1, 3000);
            Path good = engine.backup(root.resolve("good.db")).file();
            Path text = Files.writeString(root.resolve("notes.txt"), "not a database, just some text\n".repeat(100));
            byte[] whole = Files.readAllBytes(good);
            Path truncated = Files.write(root.resolve("truncated.db"), java.util.Arrays.copyOf(whole, whole.length / 2));
            Path outside = Files.copy(good, dir.resolve("outside.db"));

            assertThatThrownBy(() -> engine.restore(text)).isInstanceOf(EngineException.class)
                    .hasMessage("[kept] the backup to restore " + text + " is not an SQLite database (its first bytes are"
                            + " not the SQLite header)");
            assertThatThrownBy(() -> engine.restore(truncated)).isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("[kept] the backup to restore " + truncated);
            assertThatThrownBy(() -> engine.restore(outside)).isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("[kept] a backup to restore must stay below the allowed root " + root);
            assertThatThrownBy(() -> engine.restore(root.resolve("kept.db"))).isInstanceOf(EngineException.class)
                    .hasMessage("[kept] " + root.resolve("kept.db") + " is the engine's own database file; restore from a backup");

            assertThat(count(engine)).isEqualTo(3000);
            insert(engine, 3001, 3001);
            assertThat(count(engine)).isEqualTo(3001);
        }
    }

    @Test
    void aBackupThatCannotBeCopiedInAfterThePauseLeavesTheOldDatabaseServing() throws Exception {
        // A healthy backup with another page size cannot be copied into a WAL database: SQLite
        // refuses during the copy, after the engine paused, which is the path under test.
        Path other = dir.resolve("other.db");
        try (Engine big = open(new EngineRegistry(), "big", other, Map.of("pragma.page_size", 8192))) {
            big.connections().execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
            insert(big, 1, 10);
        }
        try (Engine engine = open(new EngineRegistry(), "stays", dir.resolve("stays.db"), Map.of())) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
            insert(engine, 1, 500);

            assertThatThrownBy(() -> engine.restore(other)).isInstanceOf(EngineException.class)
                    .hasMessageContaining("the database keeps its previous content");

            assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
            assertThat(count(engine)).isEqualTo(500);
            insert(engine, 501, 501);
            assertThat(count(engine)).isEqualTo(501);
        }
    }

    @Test
    void aReadOnlyOrInMemoryEngineRefusesARestore() throws Exception {
        Path file = dir.resolve("ro.db");
        try (Engine writable = open(new EngineRegistry(), "rw", file, Map.of())) {
            writable.connections().execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
            writable.backup(dir.resolve("ro-backup.db"));
        }
        try (Engine engine = open(new EngineRegistry(), "ro", file, Map.of("readOnly", true))) {
            assertThatThrownBy(() -> engine.restore(dir.resolve("ro-backup.db")))
                    .hasMessage("[ro] a backup can only be restored into a writable file database, not into a read-only"
                            + " engine (readOnly=true)");
        }
        try (Engine memory = open(new EngineRegistry(), "memory", Path.of(":memory:"), Map.of())) {
            assertThatThrownBy(() -> memory.restore(dir.resolve("ro-backup.db")))
                    .hasMessage("[memory] a backup can only be restored into a writable file database, not into an"
                            + " in-memory one");
        }
    }
}
