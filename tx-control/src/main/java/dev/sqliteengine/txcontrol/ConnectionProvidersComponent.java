package dev.sqliteengine.txcontrol;

import static dev.sqliteengine.api.EngineProperties.DATA_SOURCE_NAME;
import static dev.sqliteengine.api.EngineProperties.ENGINE_NAME;
import static dev.sqliteengine.api.EngineProperties.JNDI_SERVICE_NAME;

import dev.sqliteengine.api.Engine;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProvider;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProviderFactory;

/**
 * Registers, for every {@code Engine} service, a {@link JDBCConnectionProvider} service with the
 * engine's {@code engine.name}, {@code dataSourceName} and {@code osgi.jndi.service.name}, so that
 * {@code @Reference(target = "(engine.name=orders)") JDBCConnectionProvider} is all a Transaction
 * Control user writes.
 * <p>
 * Why one component with a dynamic multiple reference rather than one component per engine: DS
 * makes a component per configuration, not per service, and engines are services of another
 * bundle. The {@code JDBCConnectionProviderFactory} is a static mandatory reference: without one
 * the component is not satisfied and nothing is registered; when it goes, every provider made
 * through it goes too. The engines are bound greedily and dynamically, so an engine that comes or
 * goes registers or unregisters its own provider and no other.
 * <p>
 * The services are registered by hand, after the provider exists, and unregistered before it is
 * closed, so nobody finds a closed provider through the registry. An engine's name is its
 * registration's identity (the impl re-registers an engine that is renamed), so the properties
 * never change for one binding. Bind and unbind may run on different threads, at the same time
 * as deactivate: the map is concurrent, and a binding that loses the race with deactivate undoes
 * itself.
 */
@Component(service = {})
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>="
        + "org.osgi.service.transaction.control.jdbc.JDBCConnectionProvider", uses = JDBCConnectionProvider.class)
public final class ConnectionProvidersComponent {

    private final BundleContext context;
    private final JDBCConnectionProviderFactory factory;
    private final Map<Engine, Registered> registered = new ConcurrentHashMap<>();
    private volatile boolean deactivated;

    @Activate
    public ConnectionProvidersComponent(BundleContext context, @Reference(name = "factory") JDBCConnectionProviderFactory factory) {
        this.context = context;
        this.factory = factory;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(Engine engine) {
        EngineConnectionProvider provider = new EngineConnectionProvider(engine, factory);
        ServiceRegistration<JDBCConnectionProvider> registration = context.registerService(JDBCConnectionProvider.class,
                provider, serviceProperties(engine.name()));
        Registered previous = registered.put(engine, new Registered(registration, provider));
        if (previous != null) {
            previous.close(); // the same engine bound twice: keep one registration
        }
        if (deactivated) {
            unbindEngine(engine);
        }
    }

    void unbindEngine(Engine engine) {
        Registered gone = registered.remove(engine);
        if (gone != null) {
            gone.close();
        }
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        registered.keySet().forEach(this::unbindEngine);
    }

    /** The names the engine's own services carry, so one filter finds all four; never anything secret. */
    private static Hashtable<String, Object> serviceProperties(String engineName) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ENGINE_NAME, engineName);
        properties.put(DATA_SOURCE_NAME, engineName);
        properties.put(JNDI_SERVICE_NAME, engineName);
        properties.put(Constants.SERVICE_DESCRIPTION, "Transaction Control JDBC connections of SQLite engine " + engineName);
        return properties;
    }

    /** One engine's provider and its registration; closing unregisters first, then releases. */
    private record Registered(ServiceRegistration<JDBCConnectionProvider> registration,
            EngineConnectionProvider provider) {

        void close() {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already unregistered with this bundle
            }
            provider.close();
        }
    }
}
