package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Live reconfiguration under a steady load: pool sizes change in place, changes that need new
 * connections (SQLite's pragmas; PostgreSQL's lock timeout and isolation) switch to a new pool
 * generation, invalid changes are rejected; no unit of work may fail or be lost.
 */
@OnEveryDatabaseType
class ReconfigurationUnderLoadTest {

    private final TestDatabase database;

    ReconfigurationUnderLoadTest(TestDatabase database) {
        this.database = database;
    }

    /** @see LiveSettings#generation */
    private Map<String, Object> config(int max, int generation, boolean stricter) {
        Map<String, Object> map = database.config("live", "osgi.connection.max", max);
        map.putAll(LiveSettings.generation(database.kind(), generation, stricter));
        return map;
    }

    private static EngineSettings settings(Map<String, Object> config) {
        return EngineSettings.parse(config, null, null);
    }

    @Test
    void fiftyLiveUpdatesUnderEightThreadsLoseNoWorkAndEndWithTheFinalSettings() throws Exception {
        SqliteEngine engine = database.open(config(4, 62000, false));
        try {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id INTEGER PRIMARY KEY, w INTEGER)"));
            AtomicBoolean running = new AtomicBoolean(true);
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicLong operations = new AtomicLong();
            ExecutorService workers = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int worker = t;
                futures.add(workers.submit(() -> {
                    long i = 0;
                    while (running.get()) {
                        if (ThreadLocalRandom.current().nextBoolean()) {
                            long id = worker * 10_000_000L + i++;
                            engine.connections().execute(c -> {
                                try (PreparedStatement s = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                                    s.setLong(1, id);
                                    s.setInt(2, worker);
                                    s.executeUpdate();
                                }
                            });
                            acknowledged.add(id);
                        } else {
                            engine.connections().read(c -> c.createStatement().executeQuery("SELECT count(*) FROM t").next());
                        }
                        operations.incrementAndGet();
                    }
                    return null;
                }));
            }

            int rejected = 0;
            for (int update = 1; update <= 50; update++) {
                long before = operations.get();
                if (update % 10 == 5) {
                    // Invalid: caught by validation, or only when the new pool is built (SQLite: a
                    // folder as the database; PostgreSQL: a password the server refuses). Either way
                    // the engine keeps serving with what it had.
                    Map<String, Object> bad = config(4, 62000, false);
                    bad.putAll(LiveSettings.invalidSetting(database.kind()));
                    assertThatThrownBy(() -> settings(bad)).isInstanceOf(EngineException.class);
                    Map<String, Object> unopenable = config(4, 62000, false);
                    unopenable.putAll(database.aChangeThatCannotOpen());
                    assertThatThrownBy(() -> engine.reconfigure(settings(unopenable)))
                            .isInstanceOf(EngineException.class);
                    assertThat(engine.status().lastRejection()).isPresent();
                    rejected++;
                } else if (update % 2 == 0) {
                    engine.reconfigure(settings(config(2 + update % 7, update, false)));
                } else {
                    engine.reconfigure(settings(config(2 + update % 7, update, update % 4 == 1)));
                }
                // let the load make progress between updates
                org.awaitility.Awaitility.await().until(() -> operations.get() > before + 20);
            }
            running.set(false);
            for (Future<?> f : futures) {
                f.get(1, TimeUnit.MINUTES); // a failed unit of work fails the test here
            }
            workers.shutdown();

            assertThat(rejected).isEqualTo(5);
            assertThat(engine.status().errors()).isZero();
            Set<Long> stored = engine.connections().read(c -> {
                Set<Long> ids = new HashSet<>();
                try (ResultSet r = c.createStatement().executeQuery("SELECT id FROM t")) {
                    while (r.next()) {
                        ids.add(r.getLong(1));
                    }
                }
                return ids;
            });
            assertThat(stored).isEqualTo(acknowledged);

            // The last update was number 50: max 2 + 50 % 7 = 3, generation 50, not stricter
            // (SQLite: cache_size -2050, synchronous NORMAL).
            assertThat(engine.status().pool("readers").orElseThrow().max()).isEqualTo(3);
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Connection c = engine.connect();
                    held.add(c);
                    LiveSettings.assertGeneration(database.kind(), c, 50, false);
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            engine.connections().read(c -> {
                LiveSettings.assertReadUnitGeneration(database.kind(), c, 50);
                return null;
            });
        } finally {
            engine.close();
        }
    }
}
