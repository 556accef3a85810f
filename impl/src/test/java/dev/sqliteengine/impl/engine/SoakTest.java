package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long run: 16 threads of reads and write units while the engine is reconfigured, its WAL
 * checkpointed and the database backed up, every few seconds. Not part of the normal build
 * (tag {@code soak}); run it with
 * {@code mvn -B -pl impl -am verify -Dgroups=soak -DexcludedGroups= -Dsoak.minutes=10}.
 * It prints its figures: operations, errors, heap after GC and live threads at the start and the end.
 */
@Tag("soak")
class SoakTest {

    @TempDir
    Path dir;

    private static long heapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void sixteenThreadsWithReconfigurationsCheckpointsAndBackupsStayFlat() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 1));
        Map<String, Object> config = new HashMap<>(Map.of("path", dir.resolve("soak.db").toString(), "osgi.connection.max", 8));
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(config, "soak", null), new EngineRegistry());
        try {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE t(id INTEGER PRIMARY KEY, worker INTEGER, payload BLOB)"));
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong operations = new AtomicLong();
            AtomicLong written = new AtomicLong();
            ExecutorService workers = Executors.newFixedThreadPool(16);
            List<Future<?>> futures = new ArrayList<>();
            long heapBefore = heapAfterGc();
            int threadsBefore = Thread.activeCount();
            for (int t = 0; t < 16; t++) {
                int worker = t;
                futures.add(workers.submit(() -> {
                    while (running.get()) {
                        if (ThreadLocalRandom.current().nextInt(100) < 75) {
                            engine.connections().read(c -> {
                                try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM t WHERE worker = ?")) {
                                    s.setInt(1, worker);
                                    try (ResultSet r = s.executeQuery()) {
                                        return r.next();
                                    }
                                }
                            });
                        } else {
                            engine.connections().execute(c -> {
                                try (PreparedStatement s = c.prepareStatement("INSERT INTO t(worker, payload) VALUES (?, randomblob(200))")) {
                                    s.setInt(1, worker);
                                    s.executeUpdate();
                                }
                            });
                            written.incrementAndGet();
                        }
                        operations.incrementAndGet();
                    }
                    return null;
                }));
            }
            long end = System.nanoTime() + length.toNanos();
            int round = 0;
            while (System.nanoTime() < end) {
                round++;
                long before = operations.get();
                org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> operations.get() > before + 2_000);
                switch (round % 3) {
                    case 0 -> {
                        config.put("pragma.cache_size", -1000 - round);
                        config.put("osgi.connection.max", 4 + round % 5);
                        engine.reconfigure(EngineSettings.parse(config, "soak", null));
                    }
                    case 1 -> {
                        // outside any transaction: SQLite refuses a checkpoint inside one
                        try (java.sql.Connection c = engine.connect()) {
                            c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
                        }
                    }
                    default -> engine.connections().read(c -> c.createStatement().executeUpdate(
                            "backup to " + dir.resolve("backup.db")));
                }
            }
            running.set(false);
            for (Future<?> f : futures) {
                f.get(1, TimeUnit.MINUTES);
            }
            workers.shutdown();
            assertThat(workers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

            long heapAfter = heapAfterGc();
            int threadsAfter = Thread.activeCount();
            System.out.printf("soak: %d min, %d operations, %d writes, %d rounds, %d errors, heap %d -> %d KiB, threads %d -> %d%n",
                    length.toMinutes(), operations.get(), written.get(), round, engine.status().errors(),
                    heapBefore / 1024, heapAfter / 1024, threadsBefore, threadsAfter);
            assertThat(engine.status().errors()).isZero();
            assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 2); // workers gone; a pool housekeeper may differ
            String integrity = engine.connections().read(c -> {
                try (ResultSet r = c.createStatement().executeQuery("PRAGMA integrity_check")) {
                    r.next();
                    return r.getString(1);
                }
            });
            assertThat(integrity).isEqualTo("ok");
        } finally {
            engine.close();
        }
    }
}
