package dev.sqliteengine.itests.postgresql;

import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.consumer.UnitRunner;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.itests.support.Workload;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The consumer bundle's component ({@link UnitRunner}) pointed at one engine through its
 * configuration, as an application is pointed at its database: its three references target
 * {@code engine.name} (Engine, ConnectionManager) and {@code dataSourceName} (DataSource), so it
 * activates only when the engine's services are all there. {@link #close()} deletes that
 * configuration and waits until the component is gone.
 */
final class Consumer implements AutoCloseable {

    /** A consumer may wait long for its engine: a server that comes up later is tried again less and less often. */
    static final Duration ACTIVATION = Duration.ofMinutes(2);

    private final BundleContext context;
    private final Configuration configuration;

    private Consumer(BundleContext context, Configuration configuration) {
        this.context = context;
        this.configuration = configuration;
    }

    /** Configures the consumer for the engine of this name. */
    static Consumer of(ConfigurationAdmin admin, BundleContext context, String engine) throws Exception {
        Configuration configuration = admin.getConfiguration(UnitRunner.PID, "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("engine.target", Engines.filter(EngineProperties.ENGINE_NAME, engine));
        properties.put("connections.target", Engines.filter(EngineProperties.ENGINE_NAME, engine));
        properties.put("dataSource.target", Engines.filter(EngineProperties.DATA_SOURCE_NAME, engine));
        configuration.update(properties);
        return new Consumer(context, configuration);
    }

    /** @return the component's service, if it is active now */
    Optional<ServiceReference<UnitRunner>> reference() throws Exception {
        return context.getServiceReferences(UnitRunner.class, null).stream().findFirst();
    }

    /** Waits until the component is active, and returns it. */
    UnitRunner awaitActive() {
        ServiceReference<UnitRunner> reference = await().atMost(ACTIVATION).until(() -> reference().orElse(null), r -> r != null);
        UnitRunner runner = context.getService(reference);
        context.ungetService(reference); // DS keeps it: the tests read its counts after it went
        return runner;
    }

    /** Waits until the runner completed {@code units} more units than now, or failed. */
    static void awaitProgress(UnitRunner runner, int units) {
        long before = runner.units();
        await().atMost(Engines.TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> runner.units() >= before + units || !runner.failures().isEmpty());
        if (!runner.failures().isEmpty()) {
            throw new AssertionError(Workload.describe(runner.failures()));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            configuration.delete();
        } catch (IllegalStateException e) {
            // deleted already
        }
        await().atMost(Engines.TIMEOUT).until(() -> reference().isEmpty());
    }
}
