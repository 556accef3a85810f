package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server killed (SIGKILL, like a crash) and started again under load: the units in flight fail
 * with a {@link ConnectionException} that says the connection broke, nothing a unit acknowledged
 * is lost (PostgreSQL recovers it from its WAL), and the engine serves again by itself, without a
 * configuration update: HikariCP drops the broken connections and opens new ones.
 */
@ExtendWith(PostgresExtension.class)
class ServerCrashTest {

    @Test
    void unitsInFlightFailClearlyNothingAcknowledgedIsLostAndTheEngineServesAgain(PostgresPrimary primary) throws Exception {
        try (PostgresDatabase database = primary.createDatabase("crash");
                SqliteEngine engine = PgEngines.open(database, "crash", "osgi.connection.timeout", 2000,
                        "write.deadline", 4000, "write.connections", 4)) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id bigint PRIMARY KEY)"));
            AtomicBoolean running = new AtomicBoolean(true);
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            List<RuntimeException> failures = new CopyOnWriteArrayList<>();
            AtomicLong ids = new AtomicLong();
            ExecutorService threads = Executors.newFixedThreadPool(6);
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                load.add(threads.submit(() -> {
                    while (running.get()) {
                        long id = ids.incrementAndGet();
                        try {
                            engine.connections().execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (" + id + ")"));
                            acknowledged.add(id);
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            await().until(() -> acknowledged.size() > 100);

            primary.kill();
            await().atMost(Duration.ofMinutes(1)).until(() -> !failures.isEmpty());
            primary.start();
            int seen = acknowledged.size();
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() > seen + 100);
            running.set(false);
            for (Future<?> f : load) {
                f.get(60, TimeUnit.SECONDS);
            }
            threads.shutdown();

            assertThat(failures).isNotEmpty().allSatisfy(e -> {
                assertThat(e).isInstanceOf(ConnectionException.class);
                assertThat(e.getMessage()).startsWith("[crash] ");
                assertThat(((ConnectionException) e).sqlState()).as(e.getMessage())
                        .hasValueSatisfying(state -> assertThat(state).matches("08...|57P0."));
            });
            Set<Long> stored = engine.connections().read(c -> {
                Set<Long> out = new HashSet<>();
                try (ResultSet r = c.createStatement().executeQuery("SELECT id FROM t")) {
                    while (r.next()) {
                        out.add(r.getLong(1));
                    }
                }
                return out;
            });
            assertThat(stored).as("every acknowledged write").containsAll(acknowledged);
            assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
            assertThat(engine.status().lastRejection()).isEmpty();
        }
    }
}
