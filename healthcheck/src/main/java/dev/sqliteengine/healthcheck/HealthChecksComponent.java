package dev.sqliteengine.healthcheck;

import static dev.sqliteengine.api.EngineProperties.ENGINE_NAME;

import dev.sqliteengine.api.Engine;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.hc.api.HealthCheck;
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

/**
 * Registers, for every {@code Engine} service, a Felix {@link HealthCheck} service named
 * {@code SQLite engine <name>} ({@value HealthCheck#NAME}) with the tags {@value #TAG} and the
 * engine's name ({@value HealthCheck#TAGS}), and the engine's {@code engine.name}, so Felix's
 * executor, its servlet and the Web Console find one engine's check or all of them.
 * <p>
 * Why a bundle of its own rather than a component in the impl bundle: the impl stays free of the
 * Felix Health Check API, and this bundle needs no optional imports: without the Felix Health
 * Check bundles it does not resolve and is simply not installed (Karaf, bndruns). Why one
 * component with a dynamic multiple reference rather than a component per engine: DS makes a
 * component per configuration, not per service of another bundle. Engines are bound greedily and
 * dynamically, so an engine that comes or goes registers or unregisters its own check and no
 * other. Bind and unbind may run on different threads, at the same time as deactivate: the map
 * is concurrent, and a binding that loses the race with deactivate undoes itself.
 */
@Component(service = {})
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.apache.felix.hc.api.HealthCheck",
        uses = HealthCheck.class)
public final class HealthChecksComponent {

    /** The tag every engine's check carries, next to the engine's name. */
    public static final String TAG = "sqlite-engine";

    private final BundleContext context;
    private final Map<Engine, ServiceRegistration<HealthCheck>> registered = new ConcurrentHashMap<>();
    private volatile boolean deactivated;

    @Activate
    public HealthChecksComponent(BundleContext context) {
        this.context = context;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEngine(Engine engine) {
        ServiceRegistration<HealthCheck> registration = context.registerService(HealthCheck.class,
                new EngineHealthCheck(engine), serviceProperties(engine.name()));
        ServiceRegistration<HealthCheck> previous = registered.put(engine, registration);
        if (previous != null) {
            unregister(previous); // the same engine bound twice: keep one registration
        }
        if (deactivated) {
            unbindEngine(engine);
        }
    }

    void unbindEngine(Engine engine) {
        ServiceRegistration<HealthCheck> gone = registered.remove(engine);
        if (gone != null) {
            unregister(gone);
        }
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        registered.keySet().forEach(this::unbindEngine);
    }

    private static Hashtable<String, Object> serviceProperties(String engineName) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, "SQLite engine " + engineName);
        properties.put(HealthCheck.TAGS, new String[] {TAG, engineName});
        properties.put(ENGINE_NAME, engineName);
        properties.put(Constants.SERVICE_DESCRIPTION, "Health of SQLite engine " + engineName);
        return properties;
    }

    private static void unregister(ServiceRegistration<HealthCheck> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already unregistered with this bundle
        }
    }
}
