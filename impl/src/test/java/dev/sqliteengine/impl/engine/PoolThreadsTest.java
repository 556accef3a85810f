package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.impl.pool.PoolThreads;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine's pools share their background threads ({@link PoolThreads}): however many pool
 * switches run while eight threads work, the engine has one HikariCP housekeeping thread and at
 * most one thread closing retired generations (HikariCP would start a housekeeper per pool, three
 * per switch), and closing the engine ends them and its pools' own threads.
 */
class PoolThreadsTest {

    private static final int WORKERS = 8;
    private static final int SWITCHES = 20;

    @TempDir
    Path dir;

    @Test
    void pool_switches_under_load_share_one_housekeeper_and_one_closer_and_close_ends_them() throws Exception {
        Map<String, Object> properties = new HashMap<>();
        properties.put("path", dir.resolve("threads.db").toString());
        properties.put("osgi.connection.max", WORKERS);
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(properties, "threads", null), new EngineRegistry());
        engine.connections().write(c -> c.createStatement().executeUpdate("CREATE TABLE t (n INTEGER)"));
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> load = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            load.add(workers.submit(() -> {
                while (running.get()) {
                    try {
                        if (worker % 4 == 0) {
                            engine.connections().write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1)"));
                        } else {
                            engine.connections().read(c -> c.createStatement().executeQuery("SELECT count(*) FROM t").next());
                        }
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }));
        }
        try {
            for (int i = 0; i < SWITCHES; i++) {
                int cacheSize = i % 2 == 0 ? -32000 : -64000;
                properties.put("pragma.cache_size", cacheSize);
                assertThat(engine.reconfigure(EngineSettings.parse(properties, "threads", null))).isTrue();
                int seen = engine.connections().read(c -> {
                    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA cache_size")) {
                        r.next();
                        return r.getInt(1);
                    }
                });
                assertThat(seen).as("switch #%d in effect for new work", i).isEqualTo(cacheSize);
                assertThat(threadsNamed("sqlite-engine-threads-housekeeper")).as("housekeeping threads").isLessThanOrEqualTo(1);
                assertThat(threadsNamed("sqlite-engine-threads-retire")).as("closer threads").isLessThanOrEqualTo(1);
                assertThat(threadsNamed("housekeeper") - threadsNamed("sqlite-engine-threads-housekeeper"))
                        .as("HikariCP's own housekeepers").isZero();
            }
        } finally {
            running.set(false);
            for (Future<?> f : load) {
                f.get(1, TimeUnit.MINUTES);
            }
            workers.shutdown();
            engine.close();
        }
        assertThat(failures).isEmpty();
        assertThat(engine.status().reconfigurations()).isEqualTo(SWITCHES);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(threadsNamed("sqlite-engine-threads"))
                .as("the engine's and its pools' threads after close").isZero());
    }

    private static long threadsNamed(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().contains(part)).count();
    }
}
