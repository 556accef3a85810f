package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.ServiceReference;
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
 * Registrations are kept by service, not by object: one object may be registered as several
 * services (for two engines, say). An engine has the object as a listener once, for as long as
 * at least one of its services matches the engine ({@link #sync}).
 * <p>
 * {@link EngineComponent} opens its engine with {@link #listenersFor} its name, so whiteboard
 * listeners hear the engine's first {@code connected} events too, then {@link #attach}es it, which
 * catches up with services that came or went meanwhile, and detaches it after it closed, so they
 * also hear the {@code CLOSED} event. Delivery itself is the engine's (synchronous, exceptions
 * logged and ignored); this class only keeps the two sets matched. One lock guards both, so a
 * listener and an engine that arrive at the same moment never miss each other; the work under
 * it is adding to or removing from the engines' copy-on-write lists.
 */
@Component(service = ListenerWhiteboard.class)
public final class ListenerWhiteboard {

    /** A registered listener service: its object, and the engine it is for, or null for all. */
    private record Registration(EngineListener listener, String engineName) {
        boolean matches(String engine) {
            return engineName == null || engineName.equals(engine);
        }
    }

    private final Map<ServiceReference<EngineListener>, Registration> registrations = new HashMap<>();
    /** The running engines of this bundle. */
    private final List<Engine> engines = new ArrayList<>();

    /** @return the listener objects for an engine of this name, each once */
    synchronized List<EngineListener> listenersFor(String engine) {
        Set<EngineListener> out = Collections.newSetFromMap(new IdentityHashMap<>());
        registrations.values().forEach(r -> {
            if (r.matches(engine)) {
                out.add(r.listener());
            }
        });
        return List.copyOf(out);
    }

    /**
     * Adds the engine to the whiteboard, and brings its whiteboard listeners up to date.
     *
     * @param handed the listeners it was opened with ({@link #listenersFor}); those whose
     *        services left meanwhile are taken off
     */
    synchronized void attach(Engine engine, List<EngineListener> handed) {
        engines.add(engine);
        handed.forEach(listener -> sync(engine, listener));
        registrations.values().forEach(r -> sync(engine, r.listener()));
    }

    /** Takes the engine off the whiteboard and the whiteboard's listeners off the engine. */
    synchronized void detach(Engine engine) {
        engines.remove(engine);
        registrations.values().forEach(r -> engine.removeListener(r.listener()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedListener")
    synchronized void addListener(ServiceReference<EngineListener> reference, EngineListener listener) {
        Object name = reference.getProperty(EngineProperties.ENGINE_NAME);
        Registration previous = registrations.put(reference,
                new Registration(listener, name == null ? null : name.toString()));
        for (Engine engine : engines) {
            sync(engine, listener);
            if (previous != null && previous.listener() != listener) {
                sync(engine, previous.listener());
            }
        }
    }

    synchronized void updatedListener(ServiceReference<EngineListener> reference, EngineListener listener) {
        addListener(reference, listener);
    }

    synchronized void removeListener(ServiceReference<EngineListener> reference) {
        Registration gone = registrations.remove(reference);
        if (gone != null) {
            engines.forEach(engine -> sync(engine, gone.listener()));
        }
    }

    /** Gives the engine the listener if one of its services matches the engine, else takes it off. */
    private void sync(Engine engine, EngineListener listener) {
        for (Registration r : registrations.values()) {
            if (r.listener() == listener && r.matches(engine.name())) {
                engine.addListener(listener); // once: an engine's listener set ignores duplicates
                return;
            }
        }
        engine.removeListener(listener);
    }
}
