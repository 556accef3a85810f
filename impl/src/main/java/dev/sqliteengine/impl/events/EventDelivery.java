package dev.sqliteengine.impl.events;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;

/**
 * Which {@link EngineListener} method hears which {@link EngineEvent.Type}: the one mapping, for the
 * engine's own synchronous delivery ({@link ListenerSet}) and the whiteboard's queued one.
 */
public final class EventDelivery {

    private EventDelivery() {}

    /** Calls the listener's method for the event's type; whatever it throws goes to the caller. */
    public static void deliver(EngineListener listener, EngineEvent event) {
        switch (event.type()) {
            case CONNECT -> listener.connected(event);
            case CHECKOUT -> listener.checkedOut(event);
            case CHECKIN -> listener.checkedIn(event);
            case BEGIN -> listener.begun(event);
            case COMMIT -> listener.committed(event);
            case ROLLBACK -> listener.rolledBack(event);
            case ERROR -> listener.failed(event);
            case RECONFIGURED -> listener.reconfigured(event);
            case REJECTED -> listener.rejected(event);
            case CLOSED -> listener.closed(event);
        }
    }
}
