package dev.sqliteengine.itests.healthcheck;

import static dev.sqliteengine.itests.support.Engines.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHealth.Finding;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The healthcheck bundle with the real Felix Health Check bundles (healthcheck.bndrun): every
 * engine has a {@code HealthCheck} service tagged {@code sqlite-engine} and its name, and what
 * Felix's own executor reports for it is the engine's {@code health()}.
 */
class FelixHealthCheckTest {

    static final String NAME = "orders";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    HealthCheckExecutor executor;

    @TempDir
    Path dir;

    Engines engines;
    Configuration configuration;
    Engine engine;
    final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void engine() throws Exception {
        engines = new Engines(context, admin);
        configuration = engines.configure(NAME, EngineProperties.PATH, dir.resolve("orders.db").toString(),
                EngineProperties.CONNECTION_MAX, 1, EngineProperties.HEALTH_SATURATION_THRESHOLD, 250L);
        engine = engines.service(Engine.class, NAME);
    }

    @AfterEach
    void release() throws Exception {
        threads.shutdownNow();
        engines.close(); // waits until every service with engine.name=orders, the check too, is gone
    }

    private List<HealthCheckExecutionResult> run(String tag) {
        return executor.execute(HealthCheckSelector.tags(tag));
    }

    @Test
    void every_engine_has_a_check_tagged_sqlite_engine_and_its_name_that_reports_its_health() {
        ServiceReference<HealthCheck> reference = engines.reference(HealthCheck.class, NAME);
        assertThat(reference.getProperty(HealthCheck.NAME)).isEqualTo("SQLite engine orders");
        assertThat((String[]) reference.getProperty(HealthCheck.TAGS)).containsExactly("sqlite-engine", NAME);

        for (String tag : List.of("sqlite-engine", NAME)) {
            List<HealthCheckExecutionResult> results = run(tag);
            assertThat(results).as("checks tagged %s", tag).singleElement().satisfies(r -> {
                assertThat(r.getHealthCheckMetadata().getName()).isEqualTo("SQLite engine orders");
                assertThat(r.getHealthCheckMetadata().getTags()).containsExactly("sqlite-engine", NAME);
            });
        }
        Result result = run(NAME).get(0).getHealthCheckResult();
        EngineHealth health = engine.health();
        assertThat(result.getStatus()).isEqualTo(Result.Status.OK);
        assertThat(entries(result)).containsExactlyElementsOf(health.findings().stream()
                .map(f -> f.status() + " " + f.check() + ": " + f.message()).toList());
    }

    private static List<String> entries(Result result) {
        List<String> out = new ArrayList<>();
        for (ResultLog.Entry e : result) {
            out.add(e.getStatus() + " " + e.getMessage());
        }
        return out;
    }

    @Test
    void felix_reports_warn_while_the_engine_s_readers_are_saturated_and_ok_once_they_are_served() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = threads.submit(() -> engine.connections().read(c -> hold(holding, release)));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> waiter = threads.submit(() -> engine.connections().read(c -> c.createStatement().execute("SELECT 1")));

        await().atMost(TIMEOUT).until(() -> run(NAME).get(0).getHealthCheckResult().getStatus() == Result.Status.WARN);
        assertThat(entries(run(NAME).get(0).getHealthCheckResult()))
                .anySatisfy(e -> assertThat(e).startsWith("WARN saturation: readers has had threads waiting"));
        Finding saturation = engine.health().finding(EngineHealth.SATURATION).orElseThrow();
        assertThat(saturation.status()).isEqualTo(EngineHealth.Status.WARN);

        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        waiter.get(30, TimeUnit.SECONDS);
        await().atMost(TIMEOUT).until(() -> run(NAME).get(0).getHealthCheckResult().getStatus() == Result.Status.OK);
        assertThat(engine.health().status()).isEqualTo(EngineHealth.Status.OK);
    }

    /** Holds the unit's connection until released. */
    private static boolean hold(CountDownLatch holding, CountDownLatch release) {
        holding.countDown();
        try {
            return release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void the_check_goes_away_with_its_engine() throws Exception {
        engines.reference(HealthCheck.class, NAME);
        configuration.delete();
        engines.awaitGone(NAME);
        assertThat(context.getServiceReferences(HealthCheck.class, "(engine.name=" + NAME + ")")).isEmpty();
        assertThat(run("sqlite-engine")).isEmpty();
    }
}
