package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance slices, eight writers, pool switches and backups at once: maintenance takes its
 * turns at the writer like any writer, so no write fails, every switch and backup completes, the
 * free pages still go back, and the engine then closes.
 */
class MaintenanceUnderLoadTest {

    @TempDir
    Path dir;

    private Map<String, Object> config(int cacheSize) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("path", dir.resolve("busy.db").toString());
        properties.put("pragma.auto_vacuum", "INCREMENTAL");
        properties.put("pragma.cache_size", cacheSize);
        properties.put("maintenance.vacuumInterval", 1000);
        properties.put("maintenance.checkpointInterval", 1000);
        properties.put("maintenance.optimizeInterval", 1000);
        properties.put("maintenance.idleTruncateAfter", 1000);
        properties.put("maintenance.slice", 10);
        properties.put("write.retries", 0);
        return properties;
    }

    private static long freePages(SqliteEngine engine) {
        return engine.connections().read(c -> {
            c.createStatement().executeQuery("SELECT count(*) FROM sqlite_schema").close();
            try (ResultSet r = c.createStatement().executeQuery("PRAGMA freelist_count")) {
                return r.getLong(1);
            }
        });
    }

    @Test
    void eightWritersSwitchesAndBackupsGoOnWhileMaintenanceRunsAndNothingFails() throws Exception {
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(config(-2000), "busy", null), new EngineRegistry());
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE ballast(id INTEGER PRIMARY KEY, v TEXT)"));
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
        engine.connections().execute(c -> c.createStatement().executeUpdate(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                        + " INSERT INTO ballast SELECT i, printf('%.2000c', 'x') FROM n"));
        engine.connections().execute(c -> c.createStatement().executeUpdate("DELETE FROM ballast"));
        assertThat(freePages(engine)).isGreaterThan(1000);

        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(8);
        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            long base = t * 10_000_000L;
            futures.add(writers.submit(() -> {
                started.countDown();
                for (long i = base; !stop.get(); i++) {
                    long id = i;
                    engine.connections().execute(c -> c.createStatement().executeUpdate(
                            "INSERT INTO items VALUES (" + id + ", 'row')"));
                    acknowledged.add(id);
                }
                return null;
            }));
        }
        started.await();
        for (int i = 0; i < 6; i++) {
            // each a new pool generation, switched while maintenance and writers run
            assertThat(engine.reconfigure(EngineSettings.parse(config(i % 2 == 0 ? -4000 : -2000), "busy", null))).isTrue();
            engine.backup(dir.resolve("backups/busy-" + i + ".db"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> freePages(engine) == 0);
        stop.set(true);
        for (Future<?> f : futures) {
            f.get(); // no write failed
        }
        writers.shutdown();

        int rows = engine.connections().read(c -> {
            try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
                return r.getInt(1);
            }
        });
        assertThat(rows).isEqualTo(acknowledged.size());
        engine.close();
        assertThat(engine.status().state()).isEqualTo(EngineState.CLOSED);
    }
}
