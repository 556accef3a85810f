package dev.sqliteengine.api;

import java.sql.Connection;
import javax.sql.DataSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One pooled SQLite database.
 * <p>
 * In an OSGi framework every engine configured through Config Admin (factory PID
 * {@value EngineProperties#FACTORY_PID}) is registered as three services, {@code Engine},
 * {@link ConnectionManager} and {@link DataSource}, each carrying the service properties
 * {@value EngineProperties#ENGINE_NAME}, {@value EngineProperties#DATA_SOURCE_NAME} and
 * {@value EngineProperties#JNDI_SERVICE_NAME} equal to {@link #name()}. Outside a framework an
 * engine is created by an {@link EngineFactory}, and whoever created it closes it.
 * <p>
 * The engine object, its {@link #dataSource()} and its {@link #connections()} stay the same
 * objects for the engine's whole life, even when its configuration changes at run time: they
 * always delegate to the current pool, so consumers never have to rebind.
 * <p>
 * Implementations are thread safe.
 */
@ProviderType
public interface Engine extends AutoCloseable {

    /**
     * The engine's name, unique among the engines that run in one framework (or that one
     * {@link EngineFactory} created).
     *
     * @return the name, matching {@code [A-Za-z0-9_.-]+}
     */
    String name();

    /**
     * A stable {@link DataSource} over this engine's pool. Each {@code getConnection()} hands out
     * a pooled connection; closing it returns it to the pool. Transactions begun with
     * {@code setAutoCommit(false)} take SQLite's write lock at once ({@code BEGIN IMMEDIATE}), so
     * two such transactions never deadlock on a lock upgrade.
     *
     * @return the data source; the same object for the engine's life
     */
    DataSource dataSource();

    /**
     * Checks a pooled connection out. Closing it returns it to the pool; a connection that is
     * closed with an open transaction is rolled back first.
     *
     * @return a pooled connection in auto-commit mode
     * @throws ConnectionException when no connection becomes free within
     *         {@value EngineProperties#CONNECTION_TIMEOUT}, or the database cannot be opened
     * @throws EngineException when the engine is closed
     */
    Connection connect();

    /**
     * Units of work with guaranteed cleanup: the recommended way to use the engine.
     *
     * @return the connection manager; the same object for the engine's life
     */
    ConnectionManager connections();

    /**
     * A snapshot of the engine: its state, pool figures and effective settings.
     *
     * @return a new, immutable status object
     */
    EngineStatus status();

    /**
     * Adds a listener for this engine's events. Listeners are called synchronously on the thread
     * that caused the event, so they must be quick and must not throw (an exception from a
     * listener is logged and otherwise ignored).
     *
     * @param listener the listener; adding the same listener twice has no further effect
     */
    void addListener(EngineListener listener);

    /**
     * Removes a listener added with {@link #addListener(EngineListener)}.
     *
     * @param listener the listener; removing one that is not registered does nothing
     */
    void removeListener(EngineListener listener);

    /**
     * Closes the engine: new work is refused at once, work in progress is given up to
     * {@value EngineProperties#DRAIN_TIMEOUT} to finish, then the pools are closed, the WAL is
     * checkpointed and the file is released. Closing a closed engine does nothing.
     */
    @Override
    void close();
}
