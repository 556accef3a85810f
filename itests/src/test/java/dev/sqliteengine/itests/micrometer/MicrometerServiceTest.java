package dev.sqliteengine.itests.micrometer;

import static dev.sqliteengine.itests.support.Engines.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.itests.support.Workload;
import dev.sqliteengine.micrometer.EngineMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The micrometer bundle in Felix (micrometer.bndrun): every engine configured through Config
 * Admin shows in every {@code MeterRegistry} service, tagged with its name, and its meters move
 * under load, stay through a live reconfiguration and go with the engine.
 */
class MicrometerServiceTest {

    static final String NAME = "orders";
    /** One meter of each kind EngineMeters documents, by name. */
    static final List<String> SOME = List.of(EngineMeters.COMMITS, EngineMeters.ERRORS, EngineMeters.UNITS,
            EngineMeters.UNITS + ".percentile", EngineMeters.QUEUE_WAIT, EngineMeters.QUEUE_WAITING, EngineMeters.ACTIVE,
            EngineMeters.MAX, EngineMeters.WAL_SIZE, EngineMeters.STATEMENTS, EngineMeters.ACQUIRE, EngineMeters.USAGE);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @TempDir
    Path dir;

    Engines engines;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ServiceRegistration<MeterRegistry> registration;

    @BeforeEach
    void registry() {
        engines = new Engines(context, admin);
        registration = context.registerService(MeterRegistry.class, registry, null);
    }

    @AfterEach
    void release() throws Exception {
        engines.close();
        registration.unregister();
    }

    private List<Meter> metersOf(MeterRegistry in, String engine) {
        return in.getMeters().stream().filter(m -> engine.equals(m.getId().getTag(EngineMeters.ENGINE_TAG))).toList();
    }

    private FunctionCounter commits() {
        return registry.get(EngineMeters.COMMITS).tag(EngineMeters.ENGINE_TAG, NAME).functionCounter();
    }

    @Test
    void an_engine_s_meters_appear_move_under_load_survive_a_reconfiguration_and_go_with_it() throws Exception {
        Configuration configuration = engines.configure(NAME, EngineProperties.PATH, dir.resolve("orders.db").toString());
        Engine engine = engines.service(Engine.class, NAME);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metersOf(registry, NAME)).isNotEmpty());
        for (String name : SOME) {
            assertThat(registry.find(name).tag(EngineMeters.ENGINE_TAG, NAME).meters()).as(name).isNotEmpty();
        }
        int count = metersOf(registry, NAME).size();
        FunctionCounter commits = commits();

        Workload.createTable(engine.connections());
        try (Workload load = Workload.steady(engine.connections(), 4).start()) {
            load.awaitProgress(300);
            load.stop(Duration.ofSeconds(30));
            assertThat(load.failures()).isEmpty();
        }
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(commits.count()).isGreaterThanOrEqualTo(50);
            assertThat(registry.get(EngineMeters.UNITS).tags(EngineMeters.ENGINE_TAG, NAME, "kind", "read").functionTimer()
                    .count()).isGreaterThanOrEqualTo(100);
            assertThat(registry.get(EngineMeters.UNITS).tags(EngineMeters.ENGINE_TAG, NAME, "kind", "write").functionTimer()
                    .totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get(EngineMeters.QUEUE_WAIT).tags(EngineMeters.ENGINE_TAG, NAME).functionTimer().count())
                    .isGreaterThanOrEqualTo(50);
            assertThat(registry.get(EngineMeters.WAL_SIZE).tags(EngineMeters.ENGINE_TAG, NAME).gauge().value()).isPositive();
        });
        double before = commits.count();

        engines.update(configuration, EngineProperties.CONNECTION_MAX, 3);
        await().atMost(TIMEOUT).until(() -> engine.status().reconfigurations() == 1);
        engine.connections().write(c -> c.createStatement().executeUpdate("DELETE FROM " + Workload.TABLE + " WHERE 0"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(commits().count()).isGreaterThan(before));
        assertThat(commits()).as("the same meter, still counting").isSameAs(commits);
        assertThat(registry.get(EngineMeters.RECONFIGURATIONS).tag(EngineMeters.ENGINE_TAG, NAME).functionCounter().count())
                .isEqualTo(1);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(registry.get(EngineMeters.MAX)
                .tags(EngineMeters.ENGINE_TAG, NAME, "pool", "dataSource").gauge().value())
                .as("the new size").isEqualTo(engine.status().pool("dataSource").orElseThrow().max()));
        assertThat(metersOf(registry, NAME)).hasSize(count);

        configuration.delete();
        engines.awaitGone(NAME);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metersOf(registry, NAME)).isEmpty());
    }

    @Test
    void a_registry_that_comes_later_gets_every_engine_and_one_that_goes_loses_them() throws Exception {
        engines.configure(NAME, EngineProperties.PATH, dir.resolve("orders.db").toString());
        engines.configure("stock", EngineProperties.PATH, dir.resolve("stock.db").toString());
        engines.service(Engine.class, NAME);
        engines.service(Engine.class, "stock");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(metersOf(registry, "stock")).isNotEmpty());

        SimpleMeterRegistry later = new SimpleMeterRegistry();
        ServiceRegistration<MeterRegistry> laterRegistration = context.registerService(MeterRegistry.class, later, null);
        try {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(metersOf(later, NAME)).hasSameSizeAs(metersOf(registry, NAME)).isNotEmpty();
                assertThat(metersOf(later, "stock")).hasSameSizeAs(metersOf(registry, "stock"));
            });
        } finally {
            laterRegistration.unregister();
        }
        assertThat(later.getMeters()).as("removed when its service went").isEmpty();
        assertThat(metersOf(registry, NAME)).as("the other registry keeps them").isNotEmpty();
    }
}
