package dev.sqliteengine.impl.events;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine's listeners, and the one place events are delivered. Copy-on-write: registering is
 * rare, delivering is on the hot path (checkout and checkin), and {@link #isEmpty()} lets callers
 * skip building an event nobody hears.
 * <p>
 * A listener that throws is logged at WARN once, with its stack trace, the first time; its later
 * failures only at DEBUG, so a listener that fails on every checkout cannot flood the log. The
 * event still reaches the other listeners, and the work that caused it goes on.
 */
public final class ListenerSet {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerSet.class);

    private final String engine;
    private final CopyOnWriteArrayList<EngineListener> listeners = new CopyOnWriteArrayList<>();
    /** The listeners that threw already and were logged at WARN. */
    private final Set<EngineListener> warned = ConcurrentHashMap.newKeySet();

    public ListenerSet(String engine) {
        this.engine = engine;
    }

    public void add(EngineListener listener) {
        listeners.addIfAbsent(java.util.Objects.requireNonNull(listener, "listener"));
    }

    public void remove(EngineListener listener) {
        listeners.remove(listener);
        warned.remove(listener);
    }

    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    public void fire(EngineEvent.Type type, String message, Throwable cause) {
        if (listeners.isEmpty()) {
            return;
        }
        EngineEvent event = new EngineEvent(type, engine, System.currentTimeMillis(), message, cause);
        for (EngineListener l : listeners) {
            try {
                EventDelivery.deliver(l, event);
            } catch (Exception | LinkageError e) {
                // A listener must not break the unit of work that caused the event. LinkageError:
                // a whiteboard listener's bundle may be updated under it.
                if (warned.add(l)) {
                    LOG.warn("[{}] listener {} threw on {}; ignored, and its further failures are logged at DEBUG only",
                            engine, l, type, e);
                } else {
                    LOG.debug("[{}] listener {} threw on {}; ignored", engine, l, type, e);
                }
            }
        }
    }
}
