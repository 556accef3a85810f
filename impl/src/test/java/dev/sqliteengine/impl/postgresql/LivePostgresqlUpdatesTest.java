package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.net.ServerSocket;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live reconfiguration of a PostgreSQL engine, as on SQLite: sizes in place on the same
 * connections; user, password, URL and isolation through new connections while the work already
 * running finishes on the old ones, under load with no failed operation; an update the server
 * refuses (a wrong password, a server that cannot be reached) leaves the engine serving, and says
 * why.
 */
@ExtendWith(PostgresExtension.class)
class LivePostgresqlUpdatesTest {

    private PostgresDatabase database;
    private Map<String, Object> config;
    private SqliteEngine engine;
    private final PgEngines.Events events = new PgEngines.Events();

    @BeforeEach
    void open(PostgresDatabase database) {
        this.database = database;
        config = PgEngines.config(database, "live", "osgi.connection.max", 4, "write.connections", 4);
        engine = PgEngines.open(config);
        engine.addListener(events);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id bigint PRIMARY KEY, w int)"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** @return the server process of the writer connection a write unit runs on, alone */
    private int writerProcess() {
        return engine.connections().write(c -> {
            try (ResultSet r = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    @Test
    void sizesChangeInPlaceOnTheSameConnections() {
        int before = writerProcess();

        assertThat(engine.reconfigure(PgEngines.settings(PgEngines.with(config, "osgi.connection.max", 2,
                "write.connections", 2, "osgi.connection.timeout", 5000)))).isTrue();

        assertThat(writerProcess()).as("the same physical writer").isEqualTo(before);
        assertThat(engine.status().pool("writer")).hasValueSatisfying(p -> assertThat(p.max()).isEqualTo(2));
        assertThat(engine.status().pool("readers")).hasValueSatisfying(p -> assertThat(p.max()).isEqualTo(2));
    }

    @Test
    void aNewPasswordUnderEightThreadsOfLoadFailsNoOperationAndLosesNoWrite() throws Exception {
        int before = writerProcess();
        AtomicBoolean running = new AtomicBoolean(true);
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong ids = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int worker = t;
            load.add(threads.submit(() -> {
                ConnectionManager units = engine.connections();
                while (running.get()) {
                    try {
                        if (worker % 2 == 0) {
                            long id = ids.incrementAndGet();
                            units.execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (" + id + ", " + worker + ")"));
                            acknowledged.add(id);
                        } else {
                            units.read(c -> c.createStatement().executeQuery("SELECT count(*) FROM t").next());
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        e.printStackTrace();
                    }
                }
            }));
        }
        org.awaitility.Awaitility.await().until(() -> acknowledged.size() > 50);

        database.changePassword("N3w-" + System.nanoTime());
        config = PgEngines.with(config, "password", database.password());
        assertThat(engine.reconfigure(PgEngines.settings(config))).isTrue();
        int seen = acknowledged.size();
        org.awaitility.Awaitility.await().until(() -> acknowledged.size() > seen + 50);
        running.set(false);
        for (Future<?> f : load) {
            f.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(failures).as("failed operations").hasValue(0);
        long rows = engine.connections().read(c -> {
            try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                r.next();
                return r.getLong(1);
            }
        });
        assertThat(rows).isEqualTo(acknowledged.size());
        assertThat(writerProcess()).as("new connections").isNotEqualTo(before);
        assertThat(engine.status().lastRejection()).isEmpty();
    }

    @Test
    void aPasswordTheServerRefusesIsRejectedAndTheEngineServesOn() {
        String wrong = "Wr0ng-" + System.nanoTime();

        ConnectionException e = catchThrowableOfType(() -> engine.reconfigure(PgEngines.settings(
                PgEngines.with(config, "password", wrong))), ConnectionException.class);

        assertThat(e.sqlState()).hasValue("28P01");
        assertServingAfterRejecting(e, wrong);
    }

    @Test
    void aServerThatCannotBeReachedIsRejectedAndTheEngineServesOn() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        ConnectionException e = catchThrowableOfType(() -> engine.reconfigure(PgEngines.settings(PgEngines.with(config,
                "url", "jdbc:postgresql://127.0.0.1:" + port + "/" + database.name()))), ConnectionException.class);

        assertThat(e.sqlState()).hasValueSatisfying(state -> assertThat(state).startsWith("08"));
        assertServingAfterRejecting(e, database.password());
    }

    private void assertServingAfterRejecting(ConnectionException e, String password) {
        assertThat(e.getMessage()).startsWith("[live] ").doesNotContain(password);
        assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        assertThat(engine.status().lastRejection()).hasValueSatisfying(r -> assertThat(r).isEqualTo(e.getMessage()));
        assertThat(engine.status().settings()).containsEntry("url", database.jdbcUrl());
        assertThat(events.types()).contains(EngineEvent.Type.REJECTED);
        engine.connections().execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1, 0)"));
    }

    @Test
    void aNewIsolationLevelAppliesThroughNewConnections() {
        assertThat(isolationOfAWriteUnit()).isEqualTo("read committed");

        engine.reconfigure(PgEngines.settings(PgEngines.with(config, "isolation", "SERIALIZABLE")));

        assertThat(isolationOfAWriteUnit()).isEqualTo("serializable");
        String ofReads = engine.connections().read(c -> {
            try (ResultSet r = c.createStatement().executeQuery("SHOW transaction_isolation")) {
                r.next();
                return r.getString(1);
            }
        });
        assertThat(ofReads).as("read units see one snapshot, whatever the level").isEqualTo("repeatable read");
    }

    private String isolationOfAWriteUnit() {
        return engine.connections().write(c -> {
            try (ResultSet r = c.createStatement().executeQuery("SHOW transaction_isolation")) {
                r.next();
                return r.getString(1);
            }
        });
    }

    @Test
    void anEngineKeepsItsTypeForItsWholeLife() {
        ConfigurationException e = catchThrowableOfType(() -> engine.reconfigure(PgEngines.settings(
                Map.of("name", "live", "path", ":memory:"))), ConfigurationException.class);

        assertThat(e.property()).isEqualTo("type");
        assertThat(e.getMessage()).startsWith("[live] type=sqlite is invalid: postgresql: an engine keeps its type");
        assertThat(engine.status().lastRejection()).isPresent();
    }
}
