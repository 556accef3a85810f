package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sixteen threads of mixed reads and write units on one file: SQLite has one writer, and the
 * engine must turn that into queueing, never into SQLITE_BUSY. Runs for a fixed number of
 * operations, not a fixed time, and asserts no timings.
 */
class MixedLoadTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "write.queue={0}")
    @ValueSource(strings = {"fifo", "bounded", "barging"})
    void sixteenThreadsOfMixedWorkLoseNothingAndFailNothing(String queue) throws Exception {
        EngineRegistry registry = new EngineRegistry();
        try (Engine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", dir.resolve("load.db").toString(),
                "osgi.connection.max", 8, "write.retries", 0, "write.queue", queue), "load", null), registry)) {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE items(id INTEGER PRIMARY KEY, worker INTEGER, n INTEGER, payload TEXT)"));

            int threads = 16;
            int operations = 400;
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicLong reads = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < operations; i++) {
                        if (ThreadLocalRandom.current().nextInt(100) < 70) {
                            int found = engine.connections().read(c -> {
                                try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM items WHERE worker = ?")) {
                                    s.setInt(1, worker);
                                    try (ResultSet r = s.executeQuery()) {
                                        r.next();
                                        return r.getInt(1);
                                    }
                                }
                            });
                            assertThat(found).isGreaterThanOrEqualTo(0);
                            reads.incrementAndGet();
                        } else {
                            long id = (long) worker * 1_000_000 + i;
                            engine.connections().execute(c -> {
                                try (PreparedStatement s = c.prepareStatement(
                                        "INSERT INTO items(id, worker, n, payload) VALUES (?, ?, ?, ?)")) {
                                    s.setLong(1, id);
                                    s.setInt(2, worker);
                                    s.setInt(3, 0);
                                    s.setString(4, "x".repeat(100));
                                    s.executeUpdate();
                                }
                                // a read-modify-write inside the unit: must never deadlock on a lock upgrade
                                c.createStatement().executeUpdate("UPDATE items SET n = n + 1 WHERE worker = " + worker);
                            });
                            acknowledged.add(id);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES); // rethrows the first failure of a worker
            }
            pool.shutdown();

            assertThat(engine.status().errors()).isZero();
            assertThat(engine.status().commits()).isEqualTo(acknowledged.size() + 1L);
            Set<Long> stored = engine.connections().read(c -> {
                Set<Long> ids = new java.util.HashSet<>();
                try (ResultSet r = c.createStatement().executeQuery("SELECT id FROM items")) {
                    while (r.next()) {
                        ids.add(r.getLong(1));
                    }
                }
                return ids;
            });
            assertThat(stored).isEqualTo(acknowledged);
            String integrity = engine.connections().read(c -> {
                try (ResultSet r = c.createStatement().executeQuery("PRAGMA integrity_check")) {
                    r.next();
                    return r.getString(1);
                }
            });
            assertThat(integrity).isEqualTo("ok");
            assertThat(reads.get()).isPositive();
        }
    }
}
