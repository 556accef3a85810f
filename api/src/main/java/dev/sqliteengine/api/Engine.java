package dev.sqliteengine.api;

import java.nio.file.Path;
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
     * a pooled connection; closing it returns it to the pool. Its transactions keep the engine's
     * rules:
     * <ul>
     * <li>With auto-commit off, a transaction begins at the first statement (not at
     * {@code setAutoCommit(false)}, {@code commit()} or {@code rollback()}), so an idle
     * connection holds no lock and no snapshot.</li>
     * <li>A transaction that may write waits, at its first statement, in the same writer queue
     * ({@value EngineProperties#WRITE_QUEUE}) as {@link ConnectionManager#write} units, for at most
     * {@value EngineProperties#CONNECTION_TIMEOUT} (then a
     * {@link java.sql.SQLTransientConnectionException} says so), and holds the engine's writer
     * until it commits, rolls back or is closed. An auto-commit statement that may write waits
     * its turn the same way. So the engine's own connections never fail with SQLITE_BUSY
     * because of each other.</li>
     * <li>{@code setReadOnly(true)} makes the following transactions read-only: they begin
     * {@code DEFERRED}, never wait for the writer, and cannot write. On a read-only engine every
     * connection is read-only.</li>
     * <li>When SQLite rolls a transaction back by itself after an error ({@code INSERT OR
     * ROLLBACK}, {@code RAISE(ROLLBACK)}, a full disk), the following statements and
     * {@code commit()} fail until {@code rollback()}: nothing after the failure commits on its
     * own.</li>
     * <li>Closing a connection rolls back whatever is still open, by asking SQLite rather than
     * trusting the JDBC flags, and makes it writable again before the pool sees it; one that
     * cannot be rolled back is closed instead of pooled.</li>
     * </ul>
     *
     * @return the data source; the same object for the engine's life
     */
    DataSource dataSource();

    /**
     * Checks a pooled connection out of the same pool as {@link #dataSource()}, with the same
     * transaction rules. Closing it returns it to the pool, rolled back if a transaction was
     * left open.
     *
     * @return a pooled connection in auto-commit mode
     * @throws ConnectionException when no connection becomes free within
     *         {@value EngineProperties#CONNECTION_TIMEOUT}, the database cannot be opened, or the
     *         engine is closed or has {@link EngineState#FAILED}
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
     * The engine's health: its state, the latest {@code PRAGMA quick_check}, saturated pools,
     * the WAL's size, recent errors and the latest configuration update, each OK, WARN or
     * CRITICAL with a reason (see {@link EngineHealth}). Cheap: it runs no SQL on the calling
     * thread; the quick check runs in the background every
     * {@value EngineProperties#HEALTH_QUICK_CHECK_INTERVAL} and this reports its latest result.
     * Thresholds are the {@code health.*} properties of {@link EngineProperties}. In OSGi the
     * {@code dev.sqliteengine.healthcheck} bundle publishes it as a Felix Health Check.
     *
     * @return a new, immutable health report; also for a closed engine (CRITICAL)
     */
    EngineHealth health();

    /**
     * What the engine did over the last hour: commits and errors per interval, read and write
     * unit latencies, the writer queue, the pools' use and the WAL's size, sampled in the
     * background (see {@link EngineHistory} for how often and for how long). Cheap: it copies
     * samples the engine already keeps and runs no SQL. The web console's charts draw it.
     * <p>
     * The default, for an engine that keeps no history, is {@link EngineHistory#none(String)}.
     *
     * @return a new, immutable history; also for a closed engine (what it kept until it closed)
     * @since 1.3
     */
    default EngineHistory history() {
        return EngineHistory.none(name());
    }

    /**
     * Adds a listener for this engine's events. Listeners are called synchronously on the thread
     * that caused the event, so they must be quick and must not throw (an exception from a
     * listener is logged and otherwise ignored). In OSGi, registering the listener as a service
     * does the same without holding the engine: see {@link EngineListener}.
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
     * Writes an online backup of the database to a new file, with SQLite's backup API: the copy
     * is taken from one consistent snapshot, in steps, on a reader connection, so in WAL mode
     * writers go on meanwhile (in a rollback-journal mode the snapshot's lock makes their commits
     * wait for the whole copy, up to their {@code busy_timeout}). The
     * copy is written to a temporary file beside the target, created readable and writable by
     * its owner only ({@code rw-------}), checked with {@code PRAGMA integrity_check}, switched
     * to {@code journal_mode=DELETE} (so that it opens anywhere without side files) and only
     * then moved to {@code target}. Nothing is left at {@code target} when this throws.
     *
     * @param target the new file; it must not exist; missing parent folders are created; below
     *        the allowed root when one is set (symbolic links resolved)
     * @return what was written
     * @throws EngineException when the target exists, lies outside the allowed root, or the copy
     *         or its check fails; {@link ConnectionException} when the engine is closed or failed
     */
    BackupResult backup(Path target);

    /**
     * Replaces the database with a backup while the engine's services stay registered. The file
     * is checked first ({@code PRAGMA integrity_check}, read-only, below the allowed root); then
     * writes are paused, new work waits (at most {@value EngineProperties#CONNECTION_TIMEOUT}),
     * work in progress is given {@value EngineProperties#DRAIN_TIMEOUT} to finish, the pools are
     * closed, the backup is copied into the live file with SQLite's backup API in one
     * transaction, new pools open on it and work resumes. If the copy fails, the database keeps
     * its old content and serves again. Consumers see a pause, never an unregistration.
     *
     * @param source the backup file, which is only read
     * @return what was restored and how long work paused
     * @throws EngineException naming the file when it is not a healthy SQLite database, lies
     *         outside the allowed root or the engine is read-only or in memory; the engine goes on
     *         serving its old data. {@link ConnectionException} when the writer could not be paused
     *         within {@value EngineProperties#CONNECTION_TIMEOUT}, or the engine is closed or failed
     */
    RestoreResult restore(Path source);

    /**
     * Closes the engine: new work is refused at once, work in progress is given up to
     * {@value EngineProperties#DRAIN_TIMEOUT} to finish, then the pools are closed, the WAL is
     * checkpointed and the file is released. Closing a closed engine does nothing.
     */
    @Override
    void close();
}
