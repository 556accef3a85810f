package dev.sqliteengine.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives an engine's events. Every method has an empty default, so a listener overrides only
 * what it needs.
 * <p>
 * Methods are called synchronously, on the thread that caused the event (for
 * {@link #checkedOut(EngineEvent)} that is the thread that asked for a connection), so they must
 * be quick, must not block on the engine, and must not throw: an exception from a listener is
 * logged and otherwise ignored. The per-connection events ({@code connected}, {@code checkedOut},
 * {@code checkedIn}) are frequent; keep them cheap.
 */
@ConsumerType
public interface EngineListener {

    /**
     * A new physical connection to the database was opened and its pragmas applied.
     *
     * @param event the event, of type {@link EngineEvent.Type#CONNECT}
     */
    default void connected(EngineEvent event) {}

    /**
     * A connection was checked out of a pool for a unit of work or {@link Engine#connect()}.
     *
     * @param event the event, of type {@link EngineEvent.Type#CHECKOUT}
     */
    default void checkedOut(EngineEvent event) {}

    /**
     * A connection went back to its pool.
     *
     * @param event the event, of type {@link EngineEvent.Type#CHECKIN}
     */
    default void checkedIn(EngineEvent event) {}

    /**
     * A write transaction began ({@code BEGIN IMMEDIATE} succeeded).
     *
     * @param event the event, of type {@link EngineEvent.Type#BEGIN}
     */
    default void begun(EngineEvent event) {}

    /**
     * A write transaction committed.
     *
     * @param event the event, of type {@link EngineEvent.Type#COMMIT}
     */
    default void committed(EngineEvent event) {}

    /**
     * A write transaction was rolled back.
     *
     * @param event the event, of type {@link EngineEvent.Type#ROLLBACK}; its cause is the
     *        failure that made the unit roll back, if there was one
     */
    default void rolledBack(EngineEvent event) {}

    /**
     * A unit of work or a connection failed.
     *
     * @param event the event, of type {@link EngineEvent.Type#ERROR}, with the
     *        {@link EngineException} as cause
     */
    default void failed(EngineEvent event) {}

    /**
     * A new configuration is in effect.
     *
     * @param event the event, of type {@link EngineEvent.Type#RECONFIGURED}
     */
    default void reconfigured(EngineEvent event) {}

    /**
     * A configuration update was rejected; the engine goes on with its previous settings.
     *
     * @param event the event, of type {@link EngineEvent.Type#REJECTED}, with the
     *        {@link ConfigurationException} as cause
     */
    default void rejected(EngineEvent event) {}

    /**
     * The engine was closed; no more events follow.
     *
     * @param event the event, of type {@link EngineEvent.Type#CLOSED}
     */
    default void closed(EngineEvent event) {}
}
