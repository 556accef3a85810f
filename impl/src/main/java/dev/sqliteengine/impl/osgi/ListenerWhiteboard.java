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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
 * also hear the {@code CLOSED} event. One lock guards both sets, so a listener and an engine that
 * arrive at the same moment never miss each other; the work under it is adding to or removing
 * from the engines' copy-on-write lists.
 * <p>
 * Engines never call a listener service themselves: each listener object is given to them as its
 * {@link DispatchedListener}, which queues the event on the engine's thread and delivers it on one
 * of this whiteboard's {@link #DELIVERY_THREADS} delivery threads, so a slow, blocked or throwing
 * listener service cannot stall or break an engine. The dispatcher lives as long as a service of
 * its object is registered, and is closed (its queue dropped) when the last one leaves.
 */
// immediate: it lives as long as the bundle, not as long as an engine uses it, so the CLOSED
// events of the last engine still queued for delivery are not dropped when that engine goes.
@Component(service = ListenerWhiteboard.class, immediate = true)
public final class ListenerWhiteboard {

    /** A registered listener service: its object, and the engine it is for, or null for all. */
    private record Registration(EngineListener listener, String engineName) {
        boolean matches(String engine) {
            return engineName == null || engineName.equals(engine);
        }
    }

    /** Delivery threads shared by every whiteboard listener: a stuck listener holds one of them. */
    static final int DELIVERY_THREADS = 4;

    private final Map<ServiceReference<EngineListener>, Registration> registrations = new HashMap<>();
    /** The running engines of this bundle. */
    private final List<Engine> engines = new ArrayList<>();
    /** Per listener object with at least one registration: what the engines hold instead of it. */
    private final Map<EngineListener, DispatchedListener> dispatched = new IdentityHashMap<>();
    private final ThreadPoolExecutor delivery;

    public ListenerWhiteboard() {
        AtomicInteger threads = new AtomicInteger();
        delivery = new ThreadPoolExecutor(DELIVERY_THREADS, DELIVERY_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread t = new Thread(task, "sqlite-engine-events-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        delivery.allowCoreThreadTimeOut(true);
    }

    /**
     * Stops delivery; DS deactivates the engines, which reference this, first. Events still queued
     * (the engines' CLOSED) get a second to be delivered; then the queues are dropped and a
     * listener still running is interrupted.
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        delivery.shutdown();
        delivery.awaitTermination(1, TimeUnit.SECONDS);
        synchronized (this) {
            dispatched.values().forEach(DispatchedListener::close);
            dispatched.clear();
        }
        delivery.shutdownNow();
    }

    /** Under the lock: the dispatcher of a listener object that has a registration. */
    private DispatchedListener dispatcher(EngineListener listener) {
        return dispatched.computeIfAbsent(listener, l -> new DispatchedListener(l, delivery));
    }

    /** @return the dispatchers of the listener objects for an engine of this name, each once */
    synchronized List<EngineListener> listenersFor(String engine) {
        Set<EngineListener> out = Collections.newSetFromMap(new IdentityHashMap<>());
        registrations.values().forEach(r -> {
            if (r.matches(engine)) {
                out.add(dispatcher(r.listener()));
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
        for (EngineListener listener : handed) {
            EngineListener target = ((DispatchedListener) listener).target();
            if (dispatched.get(target) == listener) {
                sync(engine, target);
            } else {
                engine.removeListener(listener); // its services all left, and it was closed, meanwhile
            }
        }
        registrations.values().forEach(r -> sync(engine, r.listener()));
    }

    /** Takes the engine off the whiteboard and the whiteboard's listeners off the engine. */
    synchronized void detach(Engine engine) {
        engines.remove(engine);
        dispatched.values().forEach(engine::removeListener);
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
        if (previous != null && previous.listener() != listener) {
            closeIfUnregistered(previous.listener());
        }
    }

    /** Under the lock, once the engines are synced: closes the object's dispatcher if no service of it is left. */
    private void closeIfUnregistered(EngineListener listener) {
        for (Registration r : registrations.values()) {
            if (r.listener() == listener) {
                return;
            }
        }
        DispatchedListener d = dispatched.remove(listener);
        if (d != null) {
            d.close();
        }
    }

    synchronized void updatedListener(ServiceReference<EngineListener> reference, EngineListener listener) {
        addListener(reference, listener);
    }

    synchronized void removeListener(ServiceReference<EngineListener> reference) {
        Registration gone = registrations.remove(reference);
        if (gone != null) {
            engines.forEach(engine -> sync(engine, gone.listener()));
            closeIfUnregistered(gone.listener());
        }
    }

    /** Gives the engine the listener if one of its services matches the engine, else takes it off. */
    private void sync(Engine engine, EngineListener listener) {
        for (Registration r : registrations.values()) {
            if (r.listener() == listener && r.matches(engine.name())) {
                engine.addListener(dispatcher(listener)); // once: an engine's listener set ignores duplicates
                return;
            }
        }
        DispatchedListener d = dispatched.get(listener);
        if (d != null) {
            engine.removeListener(d);
        }
    }
}
