package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.sqlite.ResultCodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write unit waits at most {@code write.deadline} in all: in the writer queue, for a lock held
 * by another process, and between retries. Then it fails with a {@link ConnectionException} that
 * says the deadline passed. Retries that could never all run within the deadline are refused
 * when the engine is configured.
 */
class WritesGiveUpByTheirDeadlineTest {

    @TempDir
    Path dir;

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private SqliteEngine open(Object... keyValues) {
        Map<String, Object> properties = config(keyValues);
        properties.put("path", dir.resolve("deadline.db").toString());
        return SqliteEngine.open(EngineSettings.parse(properties, "deadline", null), new EngineRegistry());
    }

    private static void insert(SqliteEngine engine) {
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
    }

    @Test
    void aWriteUnderAForeignLockGivesUpByTheDeadlineThoughRetriesRemain() throws Exception {
        // 100 retries of at least 200 ms each could not all run within 1.5 s: the deadline ends it.
        try (SqliteEngine engine = open("write.deadline", 1500, "write.retries", 100, "write.retryBackoff", 0,
                "pragma.busy_timeout", 200)) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("deadline.db"));
                    Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");

                assertThatThrownBy(() -> insert(engine)).isInstanceOfSatisfying(ConnectionException.class, e -> {
                    assertThat(e.getMessage()).startsWith("[deadline] a write unit gave up after ")
                            .contains("write.deadline=1500 ms").contains("of write.retries=100 left")
                            .contains("busy_timeout");
                    assertThat(e.resultCode() & 0xff).isEqualTo(ResultCodes.SQLITE_BUSY);
                });
                s.execute("COMMIT");
            }
            insert(engine);
            assertThat(engine.connections().<Long>write(c -> Long.valueOf(SqliteEngineTest.pragma(c, "busy_timeout"))))
                    .as("the writer has its own busy_timeout back").isEqualTo(200L);
        }
    }

    @Test
    void aWriteQueuedBehindAnOpenTransactionGivesUpByTheDeadline() throws Exception {
        try (SqliteEngine engine = open("write.deadline", 1500, "osgi.connection.timeout", 30_000)) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
            try (Connection holder = engine.connect()) {
                holder.setAutoCommit(false);
                holder.createStatement().execute("INSERT INTO t VALUES (0)"); // holds the writer until commit

                CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> insert(engine));

                assertThatThrownBy(() -> queued.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.getMessage())
                                .startsWith("[deadline] a write unit gave up waiting for the writer connection")
                                .contains("write.deadline=1500 ms passed"));
                holder.commit();
            }
            insert(engine);
            assertThat(SqliteEngineTest.rows(engine)).isEqualTo(2);
        }
    }

    @Nested
    class Configuration {

        @Test
        void retriesWhoseWaitsOutlastTheDeadlineAreRefusedSayingHowManyFit() {
            // The example: 1 + 2 + 4 + 8 + 16 + 32 + 6 × 60 s of waits, far beyond a minute.
            assertThatThrownBy(() -> EngineSettings.parse(config("path", ":memory:", "write.retries", 12,
                    "write.retryBackoff", 1000), "deadline", null))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.property()).isEqualTo("write.retries");
                        assertThat(e.getMessage()).startsWith("[deadline] write.retries=12 is invalid: at most 5 with"
                                + " write.deadline=60000").contains("write.retryBackoff=1000").contains("423000 ms");
                    });
        }

        @Test
        void aDeadlineTooShortForTheDefaultRetriesIsTheOneNamed() {
            assertThatThrownBy(() -> EngineSettings.parse(config("path", ":memory:", "write.deadline", 300),
                    "deadline", null))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        assertThat(e.property()).isEqualTo("write.deadline");
                        assertThat(e.getMessage()).contains("write.deadline=300 is invalid: at least 350 ms");
                    });
        }

        @Test
        void eachWaitIsCappedAtAMinuteSoLongSeriesFitALongDeadline() {
            // Doubling from 1 ms without a cap would sum to 2^100 ms; capped it is about 85 minutes.
            assertThatCode(() -> EngineSettings.parse(config("path", ":memory:", "write.retries", 100,
                    "write.retryBackoff", 1, "write.deadline", 86_400_000L), "deadline", null))
                    .doesNotThrowAnyException();
            assertThat(EngineSettings.parse(config("path", ":memory:"), "deadline", null).asProperties())
                    .containsEntry("write.deadline", 60_000L);
        }
    }
}
