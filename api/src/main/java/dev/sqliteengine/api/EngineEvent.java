package dev.sqliteengine.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to an engine. Immutable.
 */
public final class EngineEvent {

    /** The kinds of event, one per {@link EngineListener} method. */
    public enum Type {
        /** A physical connection was opened. */
        CONNECT,
        /** A connection was checked out of a pool. */
        CHECKOUT,
        /** A connection was returned to a pool. */
        CHECKIN,
        /** A write transaction began. */
        BEGIN,
        /** A write transaction committed. */
        COMMIT,
        /** A write transaction was rolled back. */
        ROLLBACK,
        /** A unit of work or a connection failed. */
        ERROR,
        /** A new configuration is in effect. */
        RECONFIGURED,
        /** A configuration update was rejected. */
        REJECTED,
        /** The engine was closed. */
        CLOSED
    }

    private final Type type;
    private final String engineName;
    private final long timestamp;
    private final String message;
    private final Throwable cause;

    /**
     * Creates an event.
     *
     * @param type the kind of event
     * @param engineName the engine's name
     * @param timestamp when it happened, in milliseconds since the epoch
     * @param message a short human-readable description; may be empty, never null
     * @param cause the failure behind the event, or null
     */
    public EngineEvent(Type type, String engineName, long timestamp, String message, Throwable cause) {
        this.type = Objects.requireNonNull(type, "type");
        this.engineName = Objects.requireNonNull(engineName, "engineName");
        this.timestamp = timestamp;
        this.message = message == null ? "" : message;
        this.cause = cause;
    }

    /** @return the kind of event */
    public Type type() {
        return type;
    }

    /** @return the name of the engine the event is about */
    public String engineName() {
        return engineName;
    }

    /** @return when it happened, in milliseconds since the epoch */
    public long timestamp() {
        return timestamp;
    }

    /** @return a short human-readable description, possibly empty */
    public String message() {
        return message;
    }

    /** @return the failure behind the event, if any */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return type + " " + engineName + (message.isEmpty() ? "" : ": " + message);
    }
}
