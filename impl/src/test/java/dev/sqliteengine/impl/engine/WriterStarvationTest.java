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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sixteen threads doing nothing but one-row write units, as fast as they can: the queues that
 * promise an order (fifo, and bounded: nobody overtakes a head that has waited the barge limit)
 * starve nobody. A starved writer would fail after {@code osgi.connection.timeout}; none fails,
 * every thread gets a fair share of the commits, and every acknowledged row is stored.
 * <p>
 * Runs {@code starvation.seconds} per queue (default 5, to keep the build short; the issue's
 * full length is {@code -Dstarvation.seconds=30}). The length only sets how long the threads
 * write; nothing asserts how fast.
 */
class WriterStarvationTest {

    private static final int THREADS = 16;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "write.queue={0}")
    @ValueSource(strings = {"fifo", "bounded"})
    void sixteenWritersAllGetTheirShare(String queue) throws Exception {
        long seconds = Long.getLong("starvation.seconds", 5);
        try (Engine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", dir.resolve(queue + ".db").toString(),
                "write.queue", queue, "write.retries", 0, "osgi.connection.timeout", 10_000), "starve", null),
                new EngineRegistry())) {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE items(id INTEGER PRIMARY KEY AUTOINCREMENT, worker INTEGER NOT NULL)"));
            long[] done = new long[THREADS];
            AtomicBoolean running = new AtomicBoolean(true);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int worker = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    long units = 0;
                    while (running.get()) {
                        engine.connections().execute(c -> {
                            try (PreparedStatement s = c.prepareStatement("INSERT INTO items(worker) VALUES (?)")) {
                                s.setInt(1, worker);
                                s.executeUpdate();
                            }
                        });
                        units++;
                    }
                    return units;
                }));
            }
            start.countDown();
            timer.schedule(() -> running.set(false), seconds, TimeUnit.SECONDS); // the run's length, not a wait
            long total = 0;
            for (int t = 0; t < THREADS; t++) {
                done[t] = futures.get(t).get(seconds + 120, TimeUnit.SECONDS); // rethrows a writer's failure
                total += done[t];
            }
            pool.shutdown();
            timer.shutdown();

            assertThat(engine.status().errors()).isZero();
            long mean = total / THREADS;
            for (int t = 0; t < THREADS; t++) {
                assertThat(done[t]).as("units of writer %d (mean %d, all %s)", t, mean, java.util.Arrays.toString(done))
                        .isGreaterThanOrEqualTo(mean / 20);
            }
            long[] stored = engine.connections().read(c -> {
                long[] perWorker = new long[THREADS];
                try (ResultSet r = c.createStatement().executeQuery("SELECT worker, count(*) FROM items GROUP BY worker")) {
                    while (r.next()) {
                        perWorker[r.getInt(1)] = r.getLong(2);
                    }
                }
                return perWorker;
            });
            assertThat(stored).containsExactly(done);
        }
    }
}
