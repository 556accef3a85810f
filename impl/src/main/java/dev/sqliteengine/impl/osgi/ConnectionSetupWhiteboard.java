package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.api.ConnectionSetup;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.impl.pool.ConnectionSetups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whiteboard for {@link ConnectionSetup} services: the hooks that apply to an engine are the
 * services without {@value EngineProperties#ENGINE_NAME} plus those naming it, ordered by
 * service ranking (highest first, then the oldest service first: {@link ServiceReference}'s own
 * order, reversed). An engine asks for them when it opens ({@link #forEngine}, its setup source)
 * and again whenever the whiteboard tells it that they may have changed
 * ({@link SqliteEngine#refreshConnectionSetups()}), and switches to a new pool generation when
 * they did.
 * <p>
 * Lock order: an engine asks {@link #forEngine} under its lifecycle lock, so this class never
 * calls an engine while it holds its own lock: it changes its maps under the lock, then tells
 * the engines outside it. Each engine asks for the set at the time it switches, so whatever
 * order the notices arrive in, the last switch applies the latest set.
 */
@Component(service = ConnectionSetupWhiteboard.class)
public final class ConnectionSetupWhiteboard {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSetupWhiteboard.class);

    /** The registered hooks, by service, each named once, when it arrives. */
    private final Map<ServiceReference<ConnectionSetup>, ConnectionSetups.Hook> hooks = new HashMap<>();
    /** The running engines of this bundle. */
    private final List<SqliteEngine> engines = new ArrayList<>();

    /**
     * @param engine an engine name
     * @return the hooks that apply to it now, in the order they run
     */
    public synchronized ConnectionSetups forEngine(String engine) {
        List<ServiceReference<ConnectionSetup>> matching = new ArrayList<>();
        hooks.keySet().forEach(reference -> {
            Object name = reference.getProperty(EngineProperties.ENGINE_NAME);
            if (name == null || name.toString().equals(engine)) {
                matching.add(reference);
            }
        });
        matching.sort(Collections.reverseOrder());
        List<ConnectionSetups.Hook> out = new ArrayList<>(matching.size());
        for (ServiceReference<ConnectionSetup> reference : matching) {
            out.add(hooks.get(reference));
        }
        return ConnectionSetups.of(out);
    }

    /** Adds a running engine, and lets it catch up with hooks that changed while it opened. */
    void attach(SqliteEngine engine) {
        synchronized (this) {
            engines.add(engine);
        }
        refresh(List.of(engine));
    }

    synchronized void detach(SqliteEngine engine) {
        engines.remove(engine);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedSetup")
    void addSetup(ServiceReference<ConnectionSetup> reference, ConnectionSetup hook) {
        List<SqliteEngine> concerned;
        Bundle bundle = reference.getBundle();
        String name = hook.getClass().getName() + " (service.id=" + reference.getProperty(Constants.SERVICE_ID)
                + (bundle == null ? "" : " of bundle " + bundle.getSymbolicName()) + ")";
        synchronized (this) {
            hooks.put(reference, new ConnectionSetups.Hook(name, hook));
            concerned = List.copyOf(engines);
        }
        refresh(concerned);
    }

    /** A new ranking or {@code engine.name}: the order or the engines concerned may change. */
    void updatedSetup(ServiceReference<ConnectionSetup> reference, ConnectionSetup hook) {
        addSetup(reference, hook);
    }

    void removeSetup(ServiceReference<ConnectionSetup> reference) {
        List<SqliteEngine> concerned;
        synchronized (this) {
            if (hooks.remove(reference) == null) {
                return;
            }
            concerned = List.copyOf(engines);
        }
        refresh(concerned);
    }

    /** Engines whose hooks did not change return at once. */
    private static void refresh(List<SqliteEngine> engines) {
        for (SqliteEngine engine : engines) {
            try {
                engine.refreshConnectionSetups();
            } catch (RuntimeException e) {
                // The engine logged and recorded a rejection itself; anything else must not stop
                // the other engines from following.
                LOG.error("[{}] could not apply the connection setup hooks: {}", engine.name(), e.getMessage(), e);
            }
        }
    }
}
