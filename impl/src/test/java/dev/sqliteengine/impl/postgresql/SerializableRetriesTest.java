package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Serialization failures ({@code 40001}) are the write units' own business at
 * {@code isolation=SERIALIZABLE}: eight threads that read a counter, add one in Java and write it
 * back (a lost update at any weaker level) all succeed, no update is lost, and the failures were
 * there: units ran again as a whole, the read included.
 */
@ExtendWith(PostgresExtension.class)
class SerializableRetriesTest {

    private static final int THREADS = 8;
    private static final int UNITS_PER_THREAD = 25;

    @Test
    void eightThreadsOfReadModifyWriteEndWithNoErrorAndNoLostUpdate(PostgresDatabase database) throws Exception {
        // 15 retries from 1 ms doubling wait at most 32.8 s in all, within the 60 s deadline
        try (SqliteEngine engine = PgEngines.open(database, "counter", "isolation", "SERIALIZABLE",
                "write.connections", THREADS, "write.retries", 15, "write.retryBackoff", 1)) {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE counter(id int PRIMARY KEY, v int); INSERT INTO counter VALUES (1, 0)"));
            AtomicInteger runs = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(threads.submit(() -> {
                    for (int i = 0; i < UNITS_PER_THREAD; i++) {
                        engine.connections().execute(c -> {
                            runs.incrementAndGet();
                            int v;
                            try (ResultSet r = c.createStatement().executeQuery("SELECT v FROM counter WHERE id = 1")) {
                                r.next();
                                v = r.getInt(1);
                            }
                            try (PreparedStatement p = c.prepareStatement("UPDATE counter SET v = ? WHERE id = 1")) {
                                p.setInt(1, v + 1);
                                p.executeUpdate();
                            }
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES); // a failed unit would throw here: the caller sees no error
            }
            threads.shutdown();

            int value = engine.connections().read(c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT v FROM counter WHERE id = 1")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            EngineStatus status = engine.status();
            assertThat(value).as("no update lost").isEqualTo(THREADS * UNITS_PER_THREAD);
            assertThat(status.retries()).as("serialization failures happened and were retried").isPositive();
            assertThat(runs.get()).as("each retry ran the whole unit again, its read included")
                    .isEqualTo(THREADS * UNITS_PER_THREAD + status.retries());
            assertThat(status.errorsByCode()).containsKey("40001");
        }
    }
}
