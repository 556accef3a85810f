package dev.sqliteengine.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs units of work on an engine's connections, with guaranteed cleanup.
 * <p>
 * SQLite has one writer at a time. {@link #write(SqlWork)} units are queued (in the order
 * {@value EngineProperties#WRITE_QUEUE} sets, each wait bounded by
 * {@value EngineProperties#CONNECTION_TIMEOUT}) for the engine's single
 * writer connection and run inside {@code BEGIN IMMEDIATE … COMMIT}; {@link #read(SqlWork)}
 * units run concurrently on read-only connections and never take the write lock.
 * <p>
 * <b>Nesting.</b> A {@code write} inside a {@code write} on the same thread runs in the outer
 * unit's transaction under a {@code SAVEPOINT}: when it returns, its changes become part of the
 * outer transaction (committed only when the outermost unit returns); when it throws, its own
 * changes are undone and the exception goes on to the outer unit, which may catch it and commit
 * the rest, or let it propagate and roll everything back. A {@code read} inside a {@code write}
 * on the same thread runs on the writer's connection, so it sees the unit's own uncommitted rows,
 * and is query-only. A {@code write} inside a {@code read} is refused with an
 * {@link EngineException}, because upgrading a read to a write is how SQLite deadlocks; so is a
 * {@code write} inside a {@code read} that runs inside a {@code write}.
 * <p>
 * <b>The engine owns a unit's transaction.</b> Inside a unit, {@code commit()},
 * {@code rollback()}, {@code setAutoCommit(true)}, {@code BEGIN}/{@code COMMIT}/{@code END}/
 * {@code ROLLBACK} run as SQL, and {@code PRAGMA query_only} are refused with an
 * {@link EngineException}; savepoints ({@code setSavepoint}, {@code SAVEPOINT},
 * {@code ROLLBACK TO}) are allowed. {@code close()} on the unit's connection is harmless: the
 * unit still ends normally. If SQLite rolls the whole transaction back by itself after a failed
 * statement ({@code INSERT OR ROLLBACK}, {@code RAISE(ROLLBACK)} in a trigger, a full disk), every
 * later statement of the unit is refused and the unit, with every unit around it, fails: nothing
 * after the failure can commit on its own.
 * <p>
 * A thread that holds the writer through an open {@link Engine#dataSource()} transaction cannot
 * start a {@code write} unit (it would wait for itself): the unit fails at once, saying so.
 * <p>
 * <b>Pool switches.</b> A configuration change that needs new connections usually switches
 * between two units without anyone waiting. Leaving WAL mode cannot: SQLite needs the only
 * connection to the file, so the old pools close before the new ones open, and units (and
 * connection requests) that start meanwhile wait for the switch, at most
 * {@value EngineProperties#CONNECTION_TIMEOUT}, then fail with a {@link ConnectionException}. On
 * an engine that has {@link EngineState#FAILED}, every unit fails at once with a
 * {@link ConnectionException} that says why.
 * <p>
 * Implementations are thread safe.
 */
@ProviderType
public interface ConnectionManager {

    /**
     * Runs a read-only unit of work on a pooled connection. The connection is query-only: a
     * statement that would change the database fails at once with an {@link EngineException}.
     * The connection is returned to the pool when the work returns or throws.
     *
     * @param <T> the work's result type
     * @param work the work; it must not keep the connection after it returns
     * @return what the work returned
     * @throws ConnectionException when no connection becomes free in time, SQLite is busy, or the
     *         engine is closed or has failed
     * @throws EngineException when the work fails; an {@code SQLException} is wrapped with its
     *         SQLite result code, a {@code RuntimeException} thrown by the work passes unchanged
     */
    <T> T read(SqlWork<T> work);

    /**
     * Runs a unit of work in a write transaction: committed when the work returns, rolled back
     * when it throws. Units that fail with a transient SQLite code (BUSY, BUSY_SNAPSHOT, LOCKED)
     * as a whole are retried up to {@value EngineProperties#WRITE_RETRIES} times with backoff,
     * so the work must be safe to run again; constraint violations are never retried. All waiting
     * (for the writer, for locks, between retries) ends by {@value EngineProperties#WRITE_DEADLINE}.
     *
     * @param <T> the work's result type
     * @param work the work; it must not keep the connection after it returns; {@code commit},
     *        {@code rollback} and {@code setAutoCommit(true)} on it are refused
     * @return what the work returned, once the transaction has committed
     * @throws ConnectionException when the writer does not become free in time, SQLite stays
     *         busy past the retries or the deadline, the engine is read-only, closed or has
     *         failed, or the disk is full
     * @throws EngineException when the work or the commit fails
     */
    <T> T write(SqlWork<T> work);

    /**
     * Runs a write unit of work that has no result. Same as {@link #write(SqlWork)}.
     *
     * @param work the work
     */
    default void execute(SqlAction work) {
        write(c -> {
            work.run(c);
            return null;
        });
    }
}
