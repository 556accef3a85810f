package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.SqlWork;
import dev.sqliteengine.impl.events.EngineMessages;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.replicas.ReplicaLease;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.RetrySchedule;
import dev.sqliteengine.impl.writer.WriterQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Runs units of work: write units on a writer connection through the {@link WriterQueue}
 * (SQLite: one at a time, inside {@code BEGIN IMMEDIATE … COMMIT}, several units of a group in one
 * transaction: see {@link GroupedWrites}), read units concurrently on readers that refuse writes,
 * each in one read transaction (one consistent snapshot per unit), or on a streaming replica where
 * the engine has some and one may serve the read ({@code ReadRouter}); a read unit whose replica
 * fails under it runs again on the primary. Transactions begin and end
 * through the database type's {@code TransactionControl}; the connections stay in the driver's
 * auto-commit mode, and a transaction exists exactly between its begin and its commit or rollback.
 * <p>
 * Lock order within a write unit: the write units' queue (group commit, on a database with one
 * writer), then the {@link WriterQueue}, then entering the current
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
    private final UnitFailures failures;
    private final NestedUnits nested;
    private final UnitPools pools;
    private final GroupedWrites writes;
    private final ThreadLocal<UnitTransaction> current = new ThreadLocal<>();

    /** @param reopener what a write unit calls when it finds the database moved away from its place */
    public EngineConnectionManager(EngineCore core, Reopener reopener) {
        this.core = core;
        this.failures = new UnitFailures(core);
        this.nested = new NestedUnits(core, failures);
        this.pools = new UnitPools(core, failures);
        this.writes = new GroupedWrites(core, reopener, failures, pools, current);
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
        Connection c = replica != null ? replica.connection() : pools.checkOut(generation, false);
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
            pools.checkIn(generation, replica != null ? replica.pool() : PoolGeneration.READERS, c, clean);
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
        if (core.gate().heldByCurrentThread() || core.units().heldByCurrentThread()) {
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
                    return writes.run(work, deadline);
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

    private void rollbackQuietly(Connection c) {
        try {
            core.transactions().rollback(c);
        } catch (SQLException e) {
            // no transaction was open; checkIn asks the database before the connection goes back
        }
    }
}
