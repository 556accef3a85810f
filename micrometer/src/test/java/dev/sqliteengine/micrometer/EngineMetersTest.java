package dev.sqliteengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EngineMeters} on a real engine made by the impl's {@code EngineFactory}, bound to
 * Micrometer's {@link SimpleMeterRegistry}: the meters the Javadoc lists, tagged with the
 * engine's name, moving as the engine works, gone when closed.
 */
class EngineMetersTest {

    /** Every meter of a file engine: name and tags besides engine=..., as EngineMeters documents them. */
    static final Set<String> DOCUMENTED = new TreeSet<>(List.of(
            "sqlite.engine.commits", "sqlite.engine.rollbacks", "sqlite.engine.errors", "sqlite.engine.reconfigurations",
            "sqlite.engine.retries", "sqlite.engine.busy.waits", "sqlite.engine.timeouts",
            "sqlite.engine.statements{result=prepared}", "sqlite.engine.statements{result=reused}",
            "sqlite.engine.units{kind=read}", "sqlite.engine.units{kind=write}",
            "sqlite.engine.units.percentile{kind=read,phi=0.5}", "sqlite.engine.units.percentile{kind=read,phi=0.99}",
            "sqlite.engine.units.percentile{kind=write,phi=0.5}", "sqlite.engine.units.percentile{kind=write,phi=0.99}",
            "sqlite.engine.units.max{kind=read}", "sqlite.engine.units.max{kind=write}",
            "sqlite.engine.writer.queue.wait", "sqlite.engine.writer.queue.wait.percentile{phi=0.5}",
            "sqlite.engine.writer.queue.wait.percentile{phi=0.99}", "sqlite.engine.writer.queue.wait.max",
            "sqlite.engine.connections.acquire", "sqlite.engine.connections.acquire.percentile{phi=0.5}",
            "sqlite.engine.connections.acquire.percentile{phi=0.99}", "sqlite.engine.connections.acquire.max",
            "sqlite.engine.connections.usage", "sqlite.engine.connections.usage.percentile{phi=0.5}",
            "sqlite.engine.connections.usage.percentile{phi=0.99}", "sqlite.engine.connections.usage.max",
            "sqlite.engine.writer.queue.waiting",
            "sqlite.engine.connections.active{pool=dataSource}", "sqlite.engine.connections.active{pool=readers}",
            "sqlite.engine.connections.active{pool=writer}", "sqlite.engine.connections.idle{pool=dataSource}",
            "sqlite.engine.connections.idle{pool=readers}", "sqlite.engine.connections.idle{pool=writer}",
            "sqlite.engine.connections.pending{pool=dataSource}", "sqlite.engine.connections.pending{pool=readers}",
            "sqlite.engine.connections.pending{pool=writer}", "sqlite.engine.connections.max{pool=dataSource}",
            "sqlite.engine.connections.max{pool=readers}", "sqlite.engine.connections.max{pool=writer}",
            "sqlite.engine.wal.size"));

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private Engine engine;

    @AfterEach
    void close() {
        threads.shutdownNow();
        if (engine != null) {
            engine.close();
        }
    }

    private Engine open(String name, String path, Object... more) {
        EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
        Map<String, Object> properties = new java.util.HashMap<>(Map.of("name", name, "path", path));
        for (int i = 0; i < more.length; i += 2) {
            properties.put((String) more[i], more[i + 1]);
        }
        engine = factory.create(properties);
        return engine;
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tag(EngineMeters.ENGINE_TAG, engine.name()).tags(tags).gauge().value();
    }

    /** @return each meter as name{tag=value,...}, without the engine tag, of one engine */
    static Set<String> described(List<Meter> meters, String engine) {
        return meters.stream().filter(m -> engine.equals(m.getId().getTag(EngineMeters.ENGINE_TAG)))
                .map(m -> m.getId().getName() + tags(m))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String tags(Meter m) {
        String tags = m.getId().getTags().stream().filter(t -> !t.getKey().equals(EngineMeters.ENGINE_TAG))
                .map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","));
        return tags.isEmpty() ? "" : "{" + tags + "}";
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tag(EngineMeters.ENGINE_TAG, engine.name()).tags(tags).functionCounter().count();
    }

    @Test
    void everyDocumentedMeterIsThereTaggedWithTheEngineAndMovesUnderLoad() throws Exception {
        open("orders", dir.resolve("orders.db").toString());
        try (EngineMeters meters = new EngineMeters(engine)) {
            meters.bindTo(registry);
            assertThat(described(registry.getMeters(), "orders")).isEqualTo(DOCUMENTED);
            assertThat(registry.get(EngineMeters.COMMITS).functionCounter()).isInstanceOf(FunctionCounter.class);
            assertThat(registry.get(EngineMeters.UNITS).tag("kind", "write").meter()).isInstanceOf(FunctionTimer.class);
            assertThat(registry.get(EngineMeters.UNITS + ".percentile").tag("phi", "0.99").tag("kind", "write").meter())
                    .isInstanceOf(TimeGauge.class);
            assertThat(registry.get(EngineMeters.WAL_SIZE).gauge()).isInstanceOf(Gauge.class);

            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
            // a held writer, and a second writer that waits in the queue for it
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holder = threads.submit(() -> engine.connections().write(c -> {
                holding.countDown();
                return awaitRelease(release);
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> waiter = threads.submit(() -> engine.connections().write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (0)")));
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get(EngineMeters.QUEUE_WAITING).gauge().value() >= 1);
            assertThat(registry.get(EngineMeters.ACTIVE).tag("pool", "writer").gauge().value()).isEqualTo(1);
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            waiter.get(30, TimeUnit.SECONDS);

            for (int i = 0; i < 20; i++) {
                int v = i;
                engine.connections().write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (" + v + ")"));
                engine.connections().read(c -> c.prepareStatement("SELECT count(*) FROM t").executeQuery().next());
            }
            try {
                engine.connections().write(c -> c.createStatement().executeUpdate("INSERT INTO nowhere VALUES (1)"));
            } catch (RuntimeException expected) {
                // counted as an error
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(counter(EngineMeters.COMMITS)).isGreaterThanOrEqualTo(23);
                assertThat(counter(EngineMeters.ERRORS)).isEqualTo(1);
                assertThat(counter(EngineMeters.ROLLBACKS)).isEqualTo(1);
                assertThat(counter(EngineMeters.STATEMENTS, "result", "reused")).isPositive();
                assertThat(counter(EngineMeters.STATEMENTS, "result", "prepared")).isPositive();
                FunctionTimer writes = registry.get(EngineMeters.UNITS).tag("kind", "write").functionTimer();
                assertThat(writes.count()).isGreaterThanOrEqualTo(24);
                assertThat(writes.totalTime(TimeUnit.NANOSECONDS)).isPositive();
                assertThat(registry.get(EngineMeters.UNITS).tag("kind", "read").functionTimer().count()).isGreaterThanOrEqualTo(20);
                assertThat(registry.get(EngineMeters.QUEUE_WAIT + ".max").timeGauge().value(TimeUnit.MILLISECONDS)).isPositive();
                assertThat(registry.get(EngineMeters.UNITS + ".percentile").tag("kind", "write").tag("phi", "0.99")
                        .timeGauge().value(TimeUnit.NANOSECONDS)).isPositive();
                assertThat(registry.get(EngineMeters.WAL_SIZE).gauge().value()).isPositive();
                assertThat(registry.get(EngineMeters.MAX).tag("pool", "writer").gauge().value()).isEqualTo(1);
            });
        }
        assertThat(registry.getMeters()).as("closed: every meter removed").isEmpty();
    }

    private static boolean awaitRelease(CountDownLatch release) {
        try {
            return release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aForeignLockShowsAsBusyWaitsRetriesAndATimeoutAndSaturatedReadersAsPending() throws Exception {
        // as in the impl's EngineFiguresTest: busy runs of 200 ms until the write deadline ends them
        open("busy", dir.resolve("busy.db").toString(), "write.deadline", 1500, "write.retries", 100,
                "write.retryBackoff", 0, "pragma.busy_timeout", 200, "osgi.connection.max", 1);
        try (EngineMeters meters = new EngineMeters(engine)) {
            meters.bindTo(registry);
            try (java.sql.Connection foreign = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("busy.db"));
                    java.sql.Statement s = foreign.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> engine.connections().write(c -> null)).isInstanceOf(ConnectionException.class);
                s.execute("ROLLBACK");
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(counter(EngineMeters.BUSY_WAITS)).isGreaterThanOrEqualTo(2);
                assertThat(counter(EngineMeters.RETRIES)).isGreaterThanOrEqualTo(1);
                assertThat(counter(EngineMeters.TIMEOUTS)).isEqualTo(1);
            });

            // one reader, held; a second read waits for it
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> holder = threads.submit(() -> engine.connections().read(c -> {
                holding.countDown();
                return awaitRelease(release);
            }));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            Future<?> waiter = threads.submit(() -> engine.connections().read(c -> c.createStatement().execute("SELECT 1")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(gauge(EngineMeters.PENDING, "pool", "readers")).isGreaterThanOrEqualTo(1);
                assertThat(gauge(EngineMeters.ACTIVE, "pool", "readers")).isEqualTo(1);
            });
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            waiter.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gauge(EngineMeters.PENDING, "pool", "readers")).isZero();
                assertThat(gauge(EngineMeters.IDLE, "pool", "readers")).isEqualTo(1);
                assertThat(registry.get(EngineMeters.ACQUIRE).tag(EngineMeters.ENGINE_TAG, "busy").functionTimer().count())
                        .isGreaterThanOrEqualTo(2);
                assertThat(registry.get(EngineMeters.USAGE).tag(EngineMeters.ENGINE_TAG, "busy").functionTimer()
                        .totalTime(TimeUnit.MILLISECONDS)).isPositive();
            });
        }
    }

    @Test
    void twoEnginesInOneRegistryAreTwoSetsOfMetersAndAnInMemoryOneHasNoWalSize() {
        open("main", dir.resolve("main.db").toString());
        Engine memory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow()
                .create(Map.of("name", "scratch", "path", ":memory:"));
        try (EngineMeters first = new EngineMeters(engine); EngineMeters second = new EngineMeters(memory)) {
            first.bindTo(registry);
            second.bindTo(registry);
            second.bindTo(registry); // twice: no second set
            assertThat(described(registry.getMeters(), "main")).isEqualTo(DOCUMENTED);
            Set<String> withoutWal = new TreeSet<>(DOCUMENTED);
            withoutWal.remove("sqlite.engine.wal.size");
            assertThat(described(registry.getMeters(), "scratch")).isEqualTo(withoutWal);

            assertThat(second.removeFrom(registry)).isTrue();
            assertThat(described(registry.getMeters(), "scratch")).isEmpty();
            assertThat(described(registry.getMeters(), "main")).isEqualTo(DOCUMENTED);
        } finally {
            memory.close();
        }
        assertThat(registry.getMeters()).isEmpty();
    }
}
