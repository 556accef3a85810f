package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The whiteboard for {@link EngineListener} services: each one is added to every engine this
 * bundle runs, or, when the service has an {@value EngineProperties#ENGINE_NAME} property, to the
 * engine of that name only. Listeners and engines come and go in any order: a listener that
 * appears is added to the engines already running, an engine that starts gets the listeners
 * already registered, and a listener that leaves, or whose {@code engine.name} changes, is taken
 * off the engines it no longer matches.
 * <p>
 * {@link EngineComponent} attaches its engine once it is open and detaches it after it closed, so
 * whiteboard listeners also hear the {@code CLOSED} event; they miss the {@code CONNECT} events of
 * the connections an engine opens while it opens. Delivery itself is the engine's (synchronous,
 * exceptions logged and ignored); this class only keeps the two sets matched. One lock guards
 * both maps, so a listener and an engine that arrive at the same moment never miss each other;
 * the work under it is adding to or removing from copy-on-write lists.
 */
@Component(service = ListenerWhiteboard.class)
public final class ListenerWhiteboard {

    /** The registered listeners, each with the engine it is for, or null for all. */
    private final Map<EngineListener, String> listeners = new IdentityHashMap<>();
    /** The running engines of this bundle. */
    private final List<Engine> engines = new ArrayList<>();

    /** Adds the engine to the whiteboard and the matching listeners to the engine. */
    synchronized void attach(Engine engine) {
        engines.add(engine);
        listeners.forEach((listener, name) -> {
            if (matches(name, engine)) {
                engine.addListener(listener);
            }
        });
    }

    /** Takes the engine off the whiteboard and the whiteboard's listeners off the engine. */
    synchronized void detach(Engine engine) {
        engines.remove(engine);
        listeners.keySet().forEach(engine::removeListener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedListener")
    synchronized void addListener(EngineListener listener, Map<String, Object> properties) {
        String name = engineName(properties);
        listeners.put(listener, name);
        for (Engine engine : engines) {
            if (matches(name, engine)) {
                engine.addListener(listener);
            }
        }
    }

    synchronized void updatedListener(EngineListener listener, Map<String, Object> properties) {
        removeListener(listener);
        addListener(listener, properties);
    }

    synchronized void removeListener(EngineListener listener) {
        listeners.remove(listener);
        engines.forEach(engine -> engine.removeListener(listener));
    }

    private static String engineName(Map<String, Object> properties) {
        Object name = properties.get(EngineProperties.ENGINE_NAME);
        return name == null ? null : name.toString();
    }

    private static boolean matches(String name, Engine engine) {
        return name == null || name.equals(engine.name());
    }
}
