package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.SqlWork;
import dev.sqliteengine.impl.events.EngineMessages;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.replicas.ReplicaLease;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.RetrySchedule;
import dev.sqliteengine.impl.writer.WriterQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Runs units of work: write units on the writer connection, one at a time through the
 * {@link WriterGate} (SQLite: inside {@code BEGIN IMMEDIATE … COMMIT}), read units concurrently
 * on readers that refuse writes, each in one read transaction (one consistent snapshot per unit),
 * or on a streaming replica where the engine has some and one may serve the read
 * ({@code ReadRouter}); a read unit whose replica fails under it runs again on the primary.
 * Transactions begin and end through the database type's {@code TransactionControl}; the
 * connections stay in the driver's auto-commit mode, and a transaction exists exactly between
 * its begin and its commit or rollback.
 * <p>
 * Lock order within a write unit: the {@link WriterQueue}, then entering the current
 * {@link PoolGeneration}, then the writer connection; released in reverse order. The engine's
 * lifecycle lock comes before the gate (a switch that leaves WAL mode pauses writers), so a
 * write unit never asks for the lifecycle lock while it holds the gate. A thread's unit
 * in progress is kept in {@link #current}, so nested units find their connection without
 * touching the gate (which is not reentrant) or a pool (which could deadlock a small pool).
 * <p>
 * The work receives a {@link UnitConnection}, one per unit, nested ones included: the engine owns
 * the transaction, and a statement that fails is followed by asking the database whether the
 * transaction is still there (see {@link UnitTransaction}). A connection goes back to its pool only
 * clean: after a successful commit, or after the database confirmed that no transaction is open;
 * otherwise it is evicted.
 * <p>
 * A write unit's waiting is bounded by one deadline, {@code write.deadline} after the call:
 * each wait at the gate is cut to what is left of it, the database's wait for another process's
 * lock (SQLite: {@code busy_timeout}) is shortened for a run that has less left than that (and set
 * back before the writer goes back to its pool, or the writer is evicted), and a retry whose
 * backoff ({@link RetrySchedule}) would reach the deadline is not started. Only the work's own running time is not bounded.
 */
public final class EngineConnectionManager implements ConnectionManager {

    private final EngineCore core;
    private final Reopener reopener;
    private final UnitFailures failures;
    private final NestedUnits nested;
    private final ThreadLocal<UnitTransaction> current = new ThreadLocal<>();

    /** @param reopener what a write unit calls when it finds the database moved away from its place */
    public EngineConnectionManager(EngineCore core, Reopener reopener) {
        this.core = core;
        this.reopener = reopener;
        this.failures = new UnitFailures(core);
        this.nested = new NestedUnits(core, failures);
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        UnitTransaction outer = current.get();
        if (outer != null) {
            return outer.write ? nested.readInsideWrite(outer, work) : nested.readInsideRead(outer, work);
        }
        long started = System.nanoTime();
        PoolGeneration generation = core.current().enter();
        try {
            ReplicaLease replica = core.reads().lease(generation.replicas(), generation.settings().replicas());
            if (replica != null) {
                try {
                    return readOn(generation, replica, work);
                } catch (ReplicaFailed failed) {
                    // The replica cannot serve, or cancelled the read: the whole unit runs again on the primary.
                }
            }
            try {
                return readOn(generation, null, work);
            } catch (ReplicaFailed impossible) {
                throw new AssertionError("a read unit on the primary failed as on a replica", impossible);
            }
        } finally {
            generation.exit();
            core.metrics().readUnits.recordSince(started);
        }
    }

    /**
     * Runs a read unit on a streaming replica, or on the primary's readers.
     *
     * @param replica the replica's connection, or null for a reader of the primary
     * @throws ReplicaFailed when the replica failed under the unit in a way the primary would not
     *         (it cannot serve, or cancelled the read for a conflict with recovery), before
     *         anything of it reached the caller
     */
    private <T> T readOn(PoolGeneration generation, ReplicaLease replica, SqlWork<T> work) throws ReplicaFailed {
        Connection c = replica != null ? replica.connection() : connection(generation, false);
        if (replica != null && !core.listeners().isEmpty()) {
            core.listeners().fire(EngineEvent.Type.CHECKOUT, replica.pool(), null);
        }
        UnitTransaction unit = new UnitTransaction(c, core.transactions(), false, core.name(), core.statements(),
                generation.statementCaches());
        current.set(unit);
        boolean clean = false;
        try {
            core.transactions().beginRead(c);
            T result = work.run(new UnitConnection(unit));
            if (unit.aborted != null) {
                rerunIfReplicaFailed(replica, unit.aborted);
                throw failures.failed(failures.aborted(unit, "read unit"));
            }
            core.transactions().commit(c);
            clean = true;
            return result;
        } catch (SQLException e) {
            boolean ended = failures.endedBy(unit, e); // asked before the rollback ends any transaction
            rollbackQuietly(c);
            rerunIfReplicaFailed(replica, e);
            throw failures.failed(ended ? failures.aborted(unit, "read unit") : failures.readFailure(e));
        } catch (RuntimeException | Error e) {
            rollbackQuietly(c);
            if (unit.aborted != null) {
                rerunIfReplicaFailed(replica, unit.aborted); // the work wrapped the statement's failure
            }
            throw e;
        } finally {
            current.remove();
            unit.endStatements();
            checkIn(generation, replica != null ? replica.pool() : PoolGeneration.READERS, c, clean);
        }
    }

    private void rerunIfReplicaFailed(ReplicaLease replica, SQLException failure) throws ReplicaFailed {
        if (replica != null && core.reads().elsewhere(replica, failure)) {
            throw new ReplicaFailed();
        }
    }

    /** A read unit's replica failed under it, in a way the primary would not: run it there. */
    private static final class ReplicaFailed extends Exception {
        private static final long serialVersionUID = 1L;

        ReplicaFailed() {
            super(null, null, false, false);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        UnitTransaction outer = current.get();
        if (outer != null) {
            if (outer.readOnly()) {
                throw failures.failed(new EngineException(core.name(), "a write unit cannot run inside a read unit:"
                        + " upgrading a read to a write is how SQLite deadlocks; run the read inside the write instead"));
            }
            return nested.write(outer, work);
        }
        if (core.gate().heldByCurrentThread()) {
            throw failures.failed(new EngineException(core.name(), "this thread holds the engine's writer through a"
                    + " transaction of Engine.connect() or the DataSource that is still open, so a write unit here would"
                    + " wait for itself; commit or roll back that transaction first, or write on its connection"));
        }
        long started = System.nanoTime();
        EngineSettings settings = core.settings();
        // Every wait of this unit (queue, locks, backoff) ends by this System.nanoTime().
        WriteDeadline deadline = new WriteDeadline(core.name(), settings.writeDeadline());
        try {
            for (int attempt = 0;; attempt++) {
                try {
                    return writeOnce(work, deadline);
                } catch (EngineException e) {
                    if (attempt >= settings.writeRetries() || !core.errors().isTransient(e) || !(e.getCause() instanceof SQLException)) {
                        throw e;
                    }
                    long wait = RetrySchedule.waitBefore(settings.writeRetryBackoff(), attempt);
                    if (wait >= deadline.millisLeft()) {
                        // Not counted as an error again: the run's own failure was (see failed).
                        core.metrics().timeouts.increment();
                        throw new ConnectionException(core.name(), "a write unit gave up after " + (attempt + 1)
                                + (attempt == 0 ? " run" : " runs") + ": its next retry would start after "
                                + EngineProperties.WRITE_DEADLINE + "=" + settings.writeDeadline() + " ms had passed ("
                                + (settings.writeRetries() - attempt) + " of " + EngineProperties.WRITE_RETRIES + "="
                                + settings.writeRetries() + " left); the last run: " + EngineMessages.withoutPrefix(core.name(), e), e.resultCode(), e);
                    }
                    core.metrics().retries.increment();
                    deadline.sleep(wait);
                }
            }
        } finally {
            core.metrics().writeUnits.recordSince(started);
        }
    }

    private <T> T writeOnce(SqlWork<T> work, WriteDeadline deadline) {
        EngineSettings settings = core.settings();
        long timeout = settings.connectionTimeout();
        long wait = Math.min(timeout, deadline.millisLeft());
        boolean entered;
        try {
            entered = wait > 0 && core.gate().enter(wait, settings.writeQueue(), settings.bargeLimit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.failed(new ConnectionException(core.name(), "interrupted while waiting for the writer connection"));
        }
        if (!entered && wait < timeout) {
            throw failures.failed(new ConnectionException(core.name(), "a write unit gave up waiting for the writer connection: "
                    + EngineProperties.WRITE_DEADLINE + "=" + settings.writeDeadline() + " ms passed; "
                    + core.gate().waiting() + " more writers are waiting. Some unit or transaction holds the writer"
                    + " too long, or another process holds the database's lock, or the deadline is too short."));
        }
        if (!entered) {
            throw failures.failed(new ConnectionException(core.name(), "a write unit waited " + timeout
                    + " ms (osgi.connection.timeout) for the writer connection; " + core.gate().waiting()
                    + " more writers are waiting. Some unit or transaction holds the writer too long, or the timeout is too short."));
        }
        boolean holdingGate = true;
        try {
            PoolGeneration generation = core.current().enter();
            String fault = generation.place().fault();
            if (fault != null) {
                // Reopening takes the engine's lifecycle lock, which a pool switch holds while it
                // waits for the gate: leave the gate first, then come back through it.
                generation.exit();
                core.gate().exit();
                holdingGate = false;
                reopener.reopen(generation, fault); // throws while the file is gone
                return writeOnce(work, deadline);
            }
            try {
                if (generation.settings().readOnly()) {
                    throw failures.failed(new ConnectionException(core.name(), "the engine is read-only (readOnly=true): write units are refused",
                            core.errors().readOnlyCode(), null));
                }
                Connection c = connection(generation, true);
                UnitTransaction unit = new UnitTransaction(c, core.transactions(), true, core.name(), core.statements(),
                        generation.statementCaches());
                current.set(unit);
                EngineSettings inEffect = generation.settings();
                boolean shortened = false;
                boolean clean = false;
                try {
                    shortened = limitLockWait(deadline, c, inEffect);
                    T result = transaction(unit, work, generation);
                    clean = true;
                    return result;
                } finally {
                    current.remove();
                    unit.endStatements();
                    if (shortened && !core.transactions().restoreLockWait(c, inEffect)) {
                        generation.evict(PoolGeneration.WRITER, c);
                    }
                    checkIn(generation, PoolGeneration.WRITER, c, clean);
                }
            } finally {
                generation.exit();
            }
        } finally {
            if (holdingGate) {
                core.gate().exit();
            }
        }
    }

    private <T> T transaction(UnitTransaction unit, SqlWork<T> work, PoolGeneration generation) {
        Connection c = unit.connection;
        ListenerSet listeners = core.listeners();
        try {
            core.transactions().beginWrite(c);
        } catch (SQLException e) {
            throw failures.failed(core.errors().map(core.name(), "beginning a write transaction", e, ""));
        }
        listeners.fire(EngineEvent.Type.BEGIN, "", null);
        T result;
        try {
            result = work.run(new UnitConnection(unit));
            if (unit.aborted != null) {
                throw failures.failed(failures.aborted(unit, "write unit"));
            }
            core.transactions().commit(c);
            // Before the unit returns: a read that follows it, on any thread, can then wait for it.
            core.reads().committed(c, generation.replicas(), generation.settings().replicas());
        } catch (SQLException e) {
            EngineException mapped = failures.endedBy(unit, e) ? failures.aborted(unit, "write unit")
                    : core.errors().map(core.name(), "write unit", e, "");
            rollback(c, mapped);
            throw failures.failed(mapped);
        } catch (RuntimeException | Error e) {
            rollback(c, e);
            throw e;
        }
        core.metrics().commits.increment();
        listeners.fire(EngineEvent.Type.COMMIT, "", null);
        return result;
    }

    private Connection connection(PoolGeneration generation, boolean writer) {
        try {
            Connection c = writer ? generation.writerConnection() : generation.readerConnection();
            ListenerSet listeners = core.listeners();
            if (!listeners.isEmpty()) {
                listeners.fire(EngineEvent.Type.CHECKOUT, writer ? "writer" : "reader", null);
            }
            return c;
        } catch (SQLException e) {
            throw failures.failed(core.errors().map(core.name(), writer ? "checking out the writer" : "checking out a reader", e,
                    core.current().latest().summary()));
        }
    }

    /**
     * Returns a unit's connection to its pool. After a failure SQLite is asked whether a
     * transaction is still open (a failed {@code BEGIN}, {@code COMMIT} or {@code ROLLBACK}); one
     * that cannot be rolled back is evicted, never handed to the next unit.
     */
    private void checkIn(PoolGeneration generation, String role, Connection c, boolean clean) {
        boolean evict = false;
        if (!clean && core.transactions().inTransaction(c)) {
            try {
                core.transactions().rollback(c);
            } catch (SQLException e) {
                evict = true;
            }
        }
        try {
            if (evict) {
                generation.evict(role, c);
            }
            c.close();
        } catch (SQLException e) {
            // HikariCP evicts a connection whose reset failed
        }
        ListenerSet listeners = core.listeners();
        if (!listeners.isEmpty()) {
            listeners.fire(EngineEvent.Type.CHECKIN, "", null);
        }
    }

    private void rollback(Connection c, Throwable why) {
        try {
            core.transactions().rollback(c);
        } catch (SQLException e) {
            // The database may have ended the transaction by itself after the error that got us here.
            if (!core.errors().isNoTransaction(e)) {
                why.addSuppressed(e);
            }
        }
        core.metrics().rollbacks.increment();
        core.listeners().fire(EngineEvent.Type.ROLLBACK, String.valueOf(why.getMessage()), why);
    }

    private void rollbackQuietly(Connection c) {
        try {
            core.transactions().rollback(c);
        } catch (SQLException e) {
            // no transaction was open; checkIn asks the database before the connection goes back
        }
    }

    /** Cuts how long the unit's statements wait for another process's lock to what is left of its deadline. */
    private boolean limitLockWait(WriteDeadline deadline, Connection c, EngineSettings settings) {
        try {
            return core.transactions().limitLockWait(c, deadline.millisLeft(), settings);
        } catch (SQLException e) {
            throw failures.failed(core.errors().map(core.name(), "bounding busy_timeout by " + EngineProperties.WRITE_DEADLINE, e, ""));
        }
    }
}
