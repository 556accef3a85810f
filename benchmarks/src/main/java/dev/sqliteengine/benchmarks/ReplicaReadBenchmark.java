package dev.sqliteengine.benchmarks;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import dev.sqliteengine.postgres.server.PostgresReplica;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Read units with one streaming replica against the primary alone, eight threads, on a
 * PostgreSQL primary and a replica that each trial starts ({@code postgres-server}: the
 * machine's PostgreSQL 15, durable commits) with a table of {@value Databases#ROWS} rows.
 * <ul>
 * <li>{@code reads}: point read units by primary key.</li>
 * <li>{@code mixed}: 80% point read units, 20% one-row write units ({@code UPDATE … n = n + 1}).</li>
 * <li>{@code writes}: one-row write units only: what asking the primary's WAL position after each
 * commit costs ({@code replica-primary} and {@code replica-wait} ask, {@code replica-off} does
 * not).</li>
 * </ul>
 * {@code reads}: {@code primary} is an engine without replicas; {@code replica-<mode>} one with
 * the replica and {@code replicas.readYourWrites=<mode>} (the timeout at its default, 500 ms).
 * Both servers share the machine's cores, so a replica adds no capacity here: the figures say
 * what routing and read-your-writes cost, not what a replica on its own machine gains. The
 * trial's end prints the health finding of the replicas (how many reads each served, ran on the
 * primary, waited).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(8)
public class ReplicaReadBenchmark {

    private static final int WRITE_PERCENT = 20;

    @State(Scope.Benchmark)
    public static class Servers {
        /** primary: no replicas; replica-off, replica-primary, replica-wait: one, with that read-your-writes mode. */
        @Param({"primary", "replica-off", "replica-primary", "replica-wait"})
        public String reads;

        PostgresPrimary primary;
        PostgresReplica replica;
        PostgresDatabase database;
        Engine engine;

        @Setup(Level.Trial)
        public void open() {
            primary = PostgresPrimary.launch();
            database = primary.createDatabase("bench");
            replica = primary.startReplica();
            Map<String, Object> properties = new HashMap<>(Map.of("name", "bench-replicas", "type", "postgresql",
                    "url", database.jdbcUrl(), "user", database.user(), "password", database.password(),
                    "osgi.connection.max", 8, "write.connections", 8));
            if (reads.startsWith("replica-")) {
                properties.put("replicas", replica.jdbcUrl(database.name()));
                properties.put("replicas.readYourWrites", reads.substring("replica-".length()));
            }
            replica.awaitCaughtUp(); // the database is there before the engine connects to it
            engine = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow().create(properties);
            Databases.fill(engine);
            replica.awaitCaughtUp();
            if (!reads.equals("primary")) {
                awaitServing();
            }
        }

        /** Until the replica's first probe answered, reads run on the primary. */
        private void awaitServing() {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!replicaFinding().startsWith("replica-1 serving")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replica does not serve: " + replicaFinding());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }

        private String replicaFinding() {
            return engine.health().finding(EngineHealth.REPLICAS).map(EngineHealth.Finding::message).orElse("none");
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("replicas " + reads);
            if (engine != null) {
                System.out.println("[replicas " + reads + "] " + replicaFinding());
                engine.close();
            }
            if (primary != null) {
                primary.close(); // its replica and database first
            }
        }
    }

    @Benchmark
    public int reads(Servers servers, Counters counters) {
        int id = 1 + ThreadLocalRandom.current().nextInt(Databases.ROWS);
        try {
            int result = servers.engine.connections().read(c -> Databases.pointRead(c, id));
            counters.ops++;
            return result;
        } catch (EngineException e) {
            ErrorLog.note(e);
            counters.errors++;
            return -1;
        }
    }

    @Benchmark
    public int mixed(Servers servers, Counters counters) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return random.nextInt(100) < WRITE_PERCENT ? writes(servers, counters) : reads(servers, counters);
    }

    @Benchmark
    public int writes(Servers servers, Counters counters) {
        int id = 1 + ThreadLocalRandom.current().nextInt(Databases.ROWS);
        try {
            int result = servers.engine.connections().write(c -> Databases.update(c, id));
            counters.ops++;
            counters.writes++;
            return result;
        } catch (EngineException e) {
            ErrorLog.note(e);
            counters.errors++;
            return -1;
        }
    }
}
