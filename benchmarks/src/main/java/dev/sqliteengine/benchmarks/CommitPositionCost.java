package dev.sqliteengine.benchmarks;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import dev.sqliteengine.postgres.server.PostgresReplica;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * What asking the primary for its WAL position after each commit costs a write unit
 * ({@code replicas.readYourWrites=primary} or {@code wait}), against the same write unit that asks
 * nothing ({@code off}). Not JMH and not a test: run it by hand,
 * {@code java -cp benchmarks/target/benchmarks.jar dev.sqliteengine.benchmarks.CommitPositionCost}.
 * <p>
 * One primary and one replica ({@code postgres-server}, durable commits), one table of
 * {@value Databases#ROWS} rows, and two engines on the same database and replica: {@code off} and
 * {@code primary}. One thread runs one-row write units ({@code UPDATE … n = n + 1}), alternating
 * the two engines unit by unit, so that whatever else the machine does falls on both alike;
 * {@value #WARMUP} units each to warm up, then {@value #UNITS} each, timed. Twice: with durable
 * commits (the server's default), where a commit waits for its WAL to reach the disk, then with
 * {@code synchronous_commit=off} on the engines' connections (pgjdbc's {@code options} in the
 * URL), where it does not and the question's round trip shows. Printed: each engine's median,
 * 90th and 99th percentile in µs, and the differences: the cost of the question.
 */
public final class CommitPositionCost {

    static final int WARMUP = 2_000;
    static final int UNITS = 5_000;

    private CommitPositionCost() {}

    public static void main(String[] args) {
        try (PostgresPrimary primary = PostgresPrimary.launch()) {
            PostgresDatabase database = primary.createDatabase("cost");
            PostgresReplica replica = primary.startReplica();
            replica.awaitCaughtUp();
            for (String commits : new String[] {"durable", "synchronous_commit=off"}) {
                boolean durable = commits.equals("durable");
                String url = database.jdbcUrl() + (durable ? "" : "?options=-c%20synchronous_commit%3Doff");
                System.out.println("commits: " + commits);
                run(database, replica, url, durable);
            }
        }
    }

    /** @param fill whether to make and fill the table first */
    private static void run(PostgresDatabase database, PostgresReplica replica, String url, boolean fill) {
        try (Engine off = engine(database, replica, url, "off");
                Engine follows = engine(database, replica, url, "primary")) {
            if (fill) {
                Databases.fill(off);
            }
            Engine[] engines = {off, follows};
            Histogram[] times = {new Histogram(3), new Histogram(3)};
            for (int i = 0; i < 2 * (WARMUP + UNITS); i++) {
                int which = i % 2;
                int id = 1 + ThreadLocalRandom.current().nextInt(Databases.ROWS);
                long start = System.nanoTime();
                engines[which].connections().write(c -> Databases.update(c, id));
                if (i >= 2 * WARMUP) {
                    times[which].recordValue((System.nanoTime() - start) / 1_000);
                }
            }
            String[] names = {"off", "primary"};
            for (int which : new int[] {0, 1}) {
                Histogram h = times[which];
                System.out.printf("readYourWrites=%-8s write unit p50 %6d µs, p90 %6d µs, p99 %6d µs (%d units)%n",
                        names[which], h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                        h.getValueAtPercentile(99), h.getTotalCount());
            }
            System.out.printf("asking the commit position: %+d µs at the median, %+.0f µs on average%n",
                    times[1].getValueAtPercentile(50) - times[0].getValueAtPercentile(50),
                    times[1].getMean() - times[0].getMean());
        }
    }

    private static Engine engine(PostgresDatabase database, PostgresReplica replica, String url, String readYourWrites) {
        Map<String, Object> properties = new HashMap<>(Map.of("name", "cost-" + readYourWrites, "type", "postgresql",
                "url", url, "user", database.user(), "password", database.password(),
                "replicas", replica.jdbcUrl(database.name()), "replicas.readYourWrites", readYourWrites));
        return ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow().create(properties);
    }
}
