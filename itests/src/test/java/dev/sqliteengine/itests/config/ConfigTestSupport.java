package dev.sqliteengine.itests.config;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** What the config tests share: finding engines and leaving Config Admin empty behind them. */
final class ConfigTestSupport {

    /** Every engine these tests create has a name starting with {@value #PREFIX}. */
    static final String PREFIX = "cfg";

    static final String OWN_CONFIGURATIONS = "(&(service.factoryPid=" + EngineProperties.FACTORY_PID
            + ")(service.pid=" + EngineProperties.FACTORY_PID + "~" + PREFIX + "*))";

    private ConfigTestSupport() {}

    /** @return the registered Engine service with this name, if there is one */
    static Optional<Engine> engine(BundleContext context, String name) throws Exception {
        for (ServiceReference<Engine> reference : context.getServiceReferences(Engine.class,
                "(" + EngineProperties.ENGINE_NAME + "=" + name + ")")) {
            Engine engine = context.getService(reference);
            if (engine != null) {
                context.ungetService(reference);
                return Optional.of(engine);
            }
        }
        return Optional.empty();
    }

    /** Deletes the configurations these tests made and waits until their engines are gone. */
    static void deleteAll(ConfigurationAdmin admin, BundleContext context) throws Exception {
        Configuration[] all = admin.listConfigurations(OWN_CONFIGURATIONS);
        if (all != null) {
            for (Configuration configuration : all) {
                configuration.delete();
            }
        }
        org.awaitility.Awaitility.await().atMost(EngineConfigurationsTest.STARTUP)
                .until(() -> context.getServiceReferences(Engine.class,
                        "(" + EngineProperties.ENGINE_NAME + "=" + PREFIX + "*)").isEmpty());
    }
}
