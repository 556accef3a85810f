package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHealth.Status;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import dev.sqliteengine.postgres.server.PostgresReplica;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads on streaming replicas, measured by the connection that served each unit
 * ({@code pg_is_in_recovery()}, its port): read units and read-only {@code DataSource}
 * transactions run on a replica, writes and reads nested in a write on the primary; with the
 * replica's replay paused (a lag that does not depend on timing), a read right after a write sees
 * it with {@code readYourWrites=primary} and {@code wait}, and does not with {@code off}. One
 * primary and two replicas serve the whole class; each test has a database of its own.
 */
@ExtendWith(PostgresExtension.class)
class ReplicaReadsTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresPrimary primary;
    private static PostgresReplica first;
    private static PostgresReplica second;

    private PostgresDatabase database;
    private SqliteEngine engine;

    @BeforeAll
    static void servers(PostgresPrimary server) {
        primary = server;
        first = primary.startReplica();
        second = primary.startReplica();
    }

    @BeforeEach
    void database() {
        database = primary.createDatabase("replica_reads_" + DATABASES.incrementAndGet());
        first.awaitCaughtUp(); // the database is there on the replicas before an engine connects
        second.awaitCaughtUp();
    }

    @AfterEach
    void close() {
        if (first.isReplayPaused()) {
            first.resumeReplay();
        }
        if (engine != null) {
            engine.close();
        }
        database.close();
    }

    /** Opens the engine on the first replica (and more properties), with table t, once it reads there. */
    private SqliteEngine open(Object... more) {
        Object[] config = new Object[more.length + 2];
        config[0] = "replicas";
        config[1] = first.jdbcUrl(database.name());
        System.arraycopy(more, 0, config, 2, more.length);
        engine = PgEngines.open(database, "reads", config);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id bigint PRIMARY KEY)"));
        ServedBy.awaitReadsOn(engine, first.port());
        return engine;
    }

    /** @return the row a write unit inserted while the first replica's replay is paused */
    private long aWriteTheReplicaHasNotReplayed() {
        first.pauseReplay();
        engine.connections().execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1)"));
        return 1;
    }

    /** @return who served a read unit that checked whether it sees the row */
    private ServedBy aReadThatSees(long id, boolean seesIt) {
        return engine.connections().read(c -> {
            assertThat(ServedBy.seesRow(c, id)).as("whether the read sees the write").isEqualTo(seesIt);
            return ServedBy.of(c);
        });
    }

    @Test
    void readUnitsRunOnTheReplicaAndWriteUnitsOnThePrimary() {
        open();

        for (int i = 0; i < 20; i++) {
            assertThat(ServedBy.aReadUnit(engine)).isEqualTo(new ServedBy(true, first.port()));
        }
        assertThat(engine.connections().write(ServedBy::of)).isEqualTo(new ServedBy(false, primary.port()));
    }

    @Test
    void aReadUnitNestedInAWriteUnitRunsOnThePrimaryAndSeesTheWrite() {
        open();

        ServedBy nested = engine.connections().write(c -> {
            c.createStatement().executeUpdate("INSERT INTO t VALUES (1)");
            return engine.connections().read(r -> {
                assertThat(ServedBy.seesRow(r, 1)).as("the write's own row").isTrue();
                return ServedBy.of(r);
            });
        });

        assertThat(nested).isEqualTo(new ServedBy(false, primary.port()));
    }

    @Test
    void readOnlyDataSourceTransactionsRunOnTheReplicaAndMoveBackToWrite() throws SQLException {
        open();

        try (Connection c = engine.connect()) {
            c.setReadOnly(true);
            assertThat(ServedBy.of(c).replica()).as("Engine.connect()").isTrue();
        }
        try (Connection c = engine.dataSource().getConnection()) {
            assertThat(ServedBy.of(c).replica()).as("a new connection").isFalse();
            Statement before = c.createStatement();
            c.setReadOnly(true);
            assertThatThrownBy(() -> before.executeQuery("SELECT 1")).as("made on the connection it left")
                    .isInstanceOf(SQLException.class);
            c.setAutoCommit(false);
            assertThat(ServedBy.of(c)).isEqualTo(new ServedBy(true, first.port()));
            assertThat(c.isReadOnly()).isTrue();
            c.commit();

            c.setReadOnly(false);
            c.createStatement().executeUpdate("INSERT INTO t VALUES (7)");
            assertThat(ServedBy.of(c)).isEqualTo(new ServedBy(false, primary.port()));
            c.commit();
        }
        boolean sees = engine.connections().read(c -> ServedBy.seesRow(c, 7));
        assertThat(sees).isTrue();
    }

    @Test
    void aDataSourceConnectionThatSawAFailureIsMadeReadOnlyWhereItIs() throws SQLException {
        open();

        try (Connection c = engine.dataSource().getConnection()) {
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT * FROM nowhere"))
                    .isInstanceOf(SQLException.class);
            c.setReadOnly(true);

            assertThat(ServedBy.of(c)).isEqualTo(new ServedBy(false, primary.port()));
            assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO t VALUES (9)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("read-only transaction");
        }
    }

    @Test
    void aConnectionThatCannotGetBackToThePrimaryStaysReadOnlyOnTheReplica() throws SQLException {
        open("osgi.connection.max", 1, "osgi.connection.timeout", 250);

        try (Connection reader = engine.dataSource().getConnection()) {
            reader.setReadOnly(true); // gives its primary connection back to the pool of one
            try (Connection holder = engine.dataSource().getConnection()) {
                assertThatThrownBy(() -> reader.setReadOnly(false)).isInstanceOf(SQLException.class);

                assertThat(reader.isReadOnly()).isTrue();
                assertThat(ServedBy.of(reader)).isEqualTo(new ServedBy(true, first.port()));
                assertThat(ServedBy.of(holder).replica()).isFalse();
            }
            reader.setReadOnly(false);
            assertThat(ServedBy.of(reader).replica()).as("once a connection of the primary is free").isFalse();
        }
    }

    @Test
    void aReadFindingTheReplicasPoolInUseRunsOnThePrimaryAndTheReplicaStaysInTurn() throws SQLException {
        open("osgi.connection.max", 1);

        try (Connection holder = engine.dataSource().getConnection()) {
            holder.setReadOnly(true); // holds the replica pool's only connection
            assertThat(ServedBy.of(holder).replica()).isTrue();

            assertThat(ServedBy.aReadUnit(engine)).isEqualTo(new ServedBy(false, primary.port()));
            assertThat(engine.health().finding(EngineHealth.REPLICAS).orElseThrow().status()).isEqualTo(Status.OK);
        }
        assertThat(ServedBy.aReadUnit(engine)).isEqualTo(new ServedBy(true, first.port()));
    }

    @Test
    void withReadYourWritesPrimaryAReadAfterAWriteRunsOnThePrimaryWhileTheReplicaIsBehind() {
        open("replicas.readYourWrites", "primary");

        long id = aWriteTheReplicaHasNotReplayed();

        assertThat(aReadThatSees(id, true)).isEqualTo(new ServedBy(false, primary.port()));
        first.resumeReplay();
        first.awaitReplayOf(primary.currentWalLsn());
        assertThat(aReadThatSees(id, true)).as("once it replayed the write").isEqualTo(new ServedBy(true, first.port()));
    }

    @Test
    void withReadYourWritesWaitAReadAfterAWriteWaitsForTheReplicaToReplayIt() throws Exception {
        open("replicas.readYourWrites", "wait", "replicas.readYourWritesTimeout", 60_000);

        long id = aWriteTheReplicaHasNotReplayed();
        CompletableFuture<ServedBy> read = CompletableFuture.supplyAsync(() -> aReadThatSees(id, true));
        await().atMost(Duration.ofMinutes(1)).until(() -> ServedBy.waits(engine) == 1);
        assertThat(read).as("waiting while the replay is paused").isNotDone();
        first.resumeReplay();

        assertThat(read.get(1, TimeUnit.MINUTES)).isEqualTo(new ServedBy(true, first.port()));
    }

    @Test
    void withReadYourWritesWaitAReadThatWaitedItsTimeoutRunsOnThePrimary() {
        open("replicas.readYourWrites", "wait", "replicas.readYourWritesTimeout", 200);

        long id = aWriteTheReplicaHasNotReplayed();

        assertThat(aReadThatSees(id, true)).isEqualTo(new ServedBy(false, primary.port()));
        assertThat(ServedBy.waits(engine)).isEqualTo(1);
    }

    @Test
    void withReadYourWritesOffAReadOnALaggingReplicaDoesNotSeeTheWrite() {
        open("replicas.readYourWrites", "off");

        long id = aWriteTheReplicaHasNotReplayed();

        assertThat(aReadThatSees(id, false)).isEqualTo(new ServedBy(true, first.port()));
    }

    @Test
    void aWriteThroughTheDataSourceIsFollowedLikeAWriteUnit() throws SQLException {
        open();
        first.pauseReplay();

        try (Connection c = engine.dataSource().getConnection()) {
            c.createStatement().executeUpdate("INSERT INTO t VALUES (3)");
        }
        try (Connection c = engine.dataSource().getConnection()) {
            c.setReadOnly(true);
            assertThat(ServedBy.of(c).replica()).as("a read-only transaction right after").isFalse();
            assertThat(ServedBy.seesRow(c, 3)).isTrue();
        }
        boolean unitSees = engine.connections().read(c -> ServedBy.seesRow(c, 3) && !ServedBy.of(c).replica());
        assertThat(unitSees).as("a read unit, on the primary").isTrue();
    }

    @Test
    void aReadTheReplicaCancelsForAConflictWithRecoveryRunsAgainOnThePrimary() throws Exception {
        open();
        standbyDelay("0"); // the replica cancels a read that holds up its replay at once
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch holdsItsLock = new CountDownLatch(1);
            CountDownLatch replayed = new CountDownLatch(1);
            CompletableFuture<ServedBy> read = CompletableFuture.supplyAsync(() -> engine.connections().read(c -> {
                c.createStatement().executeQuery("SELECT count(*) FROM t").close();
                if (runs.incrementAndGet() == 1) {
                    holdsItsLock.countDown();
                    await().atMost(Duration.ofMinutes(1)).until(() -> replayed.getCount() == 0);
                }
                return ServedBy.of(c);
            }));
            holdsItsLock.await(1, TimeUnit.MINUTES);
            // Replaying this needs the table's lock, which the read on the replica holds.
            engine.connections().execute(c -> c.createStatement().execute("ALTER TABLE t ADD COLUMN x int"));
            first.awaitReplayOf(primary.currentWalLsn());
            replayed.countDown();

            assertThat(read.get(1, TimeUnit.MINUTES)).isEqualTo(new ServedBy(false, primary.port()));
            assertThat(runs).as("runs of the unit: on the replica, then on the primary").hasValue(2);
            // The replica may end the read's session, and look gone until its probe (250 ms later).
            await().atMost(Duration.ofMinutes(1)).until(() -> engine.health().finding(EngineHealth.REPLICAS)
                    .orElseThrow().message().startsWith("replica-1 serving"));
            assertThat(engine.health().finding(EngineHealth.REPLICAS).orElseThrow().message())
                    .contains("1 run again on the primary");
        } finally {
            standbyDelay(null);
        }
    }

    /** Sets the first replica's {@code max_standby_streaming_delay}, or resets it (null). */
    private static void standbyDelay(String value) throws SQLException {
        try (Connection c = first.superuserDataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute(value == null ? "ALTER SYSTEM RESET max_standby_streaming_delay"
                    : "ALTER SYSTEM SET max_standby_streaming_delay = " + value);
            s.execute("SELECT pg_reload_conf()");
        }
    }

    @Test
    void readsTakeTurnsOnSeveralReplicas() {
        engine = PgEngines.open(database, "reads", "replicas",
                new String[] {first.jdbcUrl(database.name()), second.jdbcUrl(database.name())});
        await().atMost(Duration.ofMinutes(1)).until(() -> engine.health().finding(EngineHealth.REPLICAS).orElseThrow()
                .message().matches("replica-1 serving.*, replica-2 serving.*"));

        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ServedBy served = ServedBy.aReadUnit(engine);
            assertThat(served.replica()).isTrue();
            ports.add(served.port());
        }

        assertThat(ports).containsExactlyInAnyOrder(first.port(), second.port());
    }

    @Test
    void statusShowsTheReplicaPoolsAndHealthTheReplicas() {
        open("osgi.connection.max", 4);

        assertThat(engine.status().pool("replica-1")).hasValueSatisfying(p -> {
            assertThat(p.max()).isEqualTo(4);
            assertThat(p.total()).isPositive();
        });
        assertThat(engine.status().settings()).containsEntry("replicas", first.jdbcUrl(database.name()))
                .containsEntry("replicas.readYourWrites", "primary");
        EngineHealth.Finding replicas = engine.health().finding(EngineHealth.REPLICAS).orElseThrow();
        assertThat(replicas.status()).isEqualTo(Status.OK);
        assertThat(replicas.message()).startsWith("replica-1 serving, ");
        assertThat(engine.health().status()).isEqualTo(Status.OK);
    }

    @Test
    void aReplicaThatIsTheWrongServerDoesNotServeAndHealthSaysWhy() {
        // The replica's URL leads to a server that is no standby: the primary, spelled another way.
        String notAStandby = database.jdbcUrl() + "?connectTimeout=10";
        engine = PgEngines.open(database, "reads", "replicas", notAStandby);

        await().atMost(Duration.ofMinutes(1)).until(() -> engine.health().status() == Status.WARN);
        assertThat(engine.health().finding(EngineHealth.REPLICAS).orElseThrow().message())
                .startsWith("replica-1 (" + notAStandby + ") cannot serve reads since ")
                .contains("it is no standby");
        assertThat(ServedBy.aReadUnit(engine)).isEqualTo(new ServedBy(false, primary.port()));
    }

    @Test
    void replicasChangeLiveUnderEightThreadsOfLoadWithNoFailedOperation() throws Exception {
        Map<String, Object> config = PgEngines.config(database, "reads", "osgi.connection.max", 8, "write.connections", 4);
        engine = PgEngines.open(config);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id bigint PRIMARY KEY)"));
        try (Load load = Load.start(engine, 8)) {
            load.awaitMore(50);

            assertThat(engine.reconfigure(PgEngines.settings(PgEngines.with(config, "replicas",
                    first.jdbcUrl(database.name()))))).isTrue();
            ServedBy.awaitReadsOn(engine, first.port());
            load.awaitMore(50);
            engine.reconfigure(PgEngines.settings(PgEngines.with(config, "replicas", second.jdbcUrl(database.name()))));
            ServedBy.awaitReadsOn(engine, second.port());
            load.awaitMore(50);
            engine.reconfigure(PgEngines.settings(config));
            assertThat(ServedBy.aReadUnit(engine)).isEqualTo(new ServedBy(false, primary.port()));
            load.awaitMore(50);

            load.stop();
            assertThat(load.failures()).as("failed operations").isEmpty();
            assertThat(load.replicaReads()).as("reads the load saw served by a replica").isPositive();
        }
        assertThat(engine.status().lastRejection()).isEmpty();
        assertThat(engine.status().pools()).extracting(p -> p.pool()).containsExactly("writer", "readers", "dataSource");
    }

    @Test
    void anEngineWithoutReplicasHasNoReplicaFinding() {
        engine = PgEngines.open(database, "reads");

        assertThat(engine.health().finding(EngineHealth.REPLICAS)).isEmpty();
        assertThat(engine.status().pools()).extracting(p -> p.pool()).containsExactly("writer", "readers", "dataSource");
        assertThat(Map.copyOf(engine.status().settings())).containsEntry("replicas", "");
    }
}
