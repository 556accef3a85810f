package dev.sqliteengine.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives an engine's events. Every method has an empty default, so a listener overrides only
 * what it needs.
 * <p>
 * Listeners added with {@link Engine#addListener} are called synchronously, on the thread that caused the event (for
 * {@link #checkedOut(EngineEvent)} that is the thread that asked for a connection), so they must
 * be quick, must not block on the engine, and must not throw: an exception from a listener is
 * logged (at WARN the first time for that listener, at DEBUG after that) and otherwise ignored;
 * the event still reaches the other listeners and the work that caused it goes on. The
 * per-connection events ({@code connected}, {@code checkedOut}, {@code checkedIn}) are frequent;
 * keep them cheap.
 * <p>
 * <b>Whiteboard.</b> In an OSGi framework a listener need not hold the engine: registered as an
 * {@code EngineListener} service it receives the events of every engine the implementation
 * bundle runs, or, when the service has the property {@value EngineProperties#ENGINE_NAME}
 * (a {@code String}), of the engine of that name only. A service that appears is added to the
 * engines already running, an engine that starts (or restarts under a new name) gets the
 * services already registered, and a service that is unregistered, or whose
 * {@code engine.name} changes, hears nothing more from the engines it no longer matches. A
 * live reconfiguration keeps the engine, so its whiteboard listeners keep hearing it. Whiteboard
 * listeners hear an engine from the moment it starts to open (the {@code connected} events of its
 * first connections included) until its {@code closed} event. Each registration counts: one
 * object registered as two services (for two engines, say) hears each engine once, for as long
 * as a service of it that matches the engine stays registered.
 * <p>
 * Unlike listeners added with {@link Engine#addListener}, whiteboard listeners are not called on the
 * thread that caused the event but on the implementation's delivery threads: each listener hears
 * its events one at a time, in the order they happened, from a bounded queue (10,000 events). So
 * a whiteboard listener that is slow, blocks or throws cannot stall or break an engine; it falls
 * behind, and once its queue is full its newest events are dropped and counted (logged at WARN
 * once). A call that takes longer than a second is logged at WARN once.
 */
@ConsumerType
public interface EngineListener {

    /**
     * A new physical connection to the database was opened, its pragmas applied and its
     * {@link ConnectionSetup} hooks run.
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
