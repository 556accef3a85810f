package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.SqlWork;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.writer.GroupCommitQueue;
import dev.sqliteengine.impl.writer.GroupCommitQueue.Group;
import dev.sqliteengine.impl.writer.GroupCommitQueue.Outcome;
import dev.sqliteengine.impl.writer.GroupCommitQueue.Turn;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs one top-level write unit, in a group of units that share one transaction and one commit
 * (group commit, {@code write.groupCommit}): the units that queue while a unit runs join its
 * transaction, each on its own thread and in its turn, and the last one commits for all.
 * <p>
 * What each unit keeps, whatever its neighbours do:
 * <ul>
 * <li><b>All or nothing.</b> The first unit of a group runs right after {@code BEGIN}; every
 * later one runs under a savepoint of its own. A unit that fails is undone to its savepoint
 * (the first one: rolled back with the whole transaction, which holds nothing else yet) and
 * fails alone; the group goes on without it.</li>
 * <li><b>Its result only once it is durable.</b> A unit whose work ran returns only after the
 * group's {@code COMMIT} succeeded. Should the transaction be lost for a reason that was not its
 * own (another unit made the database end it, or the {@code COMMIT} failed), it runs again, in
 * a transaction of its own, before anyone who queued after it: as if it had waited longer. Its
 * own failure, and only that, is what it throws. (So a unit's work may run twice, as it may
 * when a transient failure is retried; only one run commits.)</li>
 * <li><b>Order.</b> Units run in the order they queued ({@link GroupCommitQueue}), and a group
 * runs them one after another: seen from the database, exactly as if each had committed on its
 * own in that order. A unit sees the rows of the units before it in its group, as it would
 * have seen them committed.</li>
 * </ul>
 * What it saves: one {@code BEGIN} and one {@code COMMIT} (in SQLite, writing the changed pages
 * to the WAL once, and the sync of {@code synchronous=FULL}) for the whole group, and no pool
 * check-out and check-in per unit. A group's first unit enters the writer gate and takes the
 * writer connection; its last unit gives both back. A group holds the gate for at most
 * {@code write.groupCommit} units, so a {@code DataSource} transaction or a maintenance step
 * waiting at the gate waits for at most that many. With several writer connections (a database
 * type whose gate admits more than one holder), groups would run side by side, one per writer;
 * this class assumes one open group at a time, as the queue grants.
 * <p>
 * Lock order, as for every write: the queue's turn, then the writer gate, then the generation,
 * then the writer connection; given back in reverse order by the unit that ends the group.
 */
final class GroupedWrites {

    /** The savepoint of a unit that joined a group; nested units use their own ({@code unit1}, ...). */
    private static final String SAVEPOINT = "engine_grouped_unit";

    /** What a unit of a lost group hears as its {@code ROLLBACK} before it runs again. */
    private static final String LOST = "the transaction this write unit shared with others ended without a commit"
            + " (another unit made the database end it, or the commit failed); the unit runs again on its own";

    private final EngineCore core;
    private final Reopener reopener;
    private final UnitFailures failures;
    private final UnitPools pools;
    private final ThreadLocal<UnitTransaction> current;
    /**
     * The transaction of the group that holds the writer. Written by the unit that passes the
     * group on before the queue grants the next turn, which publishes it; read by that turn.
     */
    private volatile WriterTransaction open;

    GroupedWrites(EngineCore core, Reopener reopener, UnitFailures failures, UnitPools pools,
            ThreadLocal<UnitTransaction> current) {
        this.core = core;
        this.reopener = reopener;
        this.failures = failures;
        this.pools = pools;
        this.current = current;
    }

    /** Runs one top-level write unit once (the caller retries transient failures). */
    <T> T run(SqlWork<T> work, WriteDeadline deadline) {
        if (core.settings().groupCommit() == 1 || !core.type().oneWriter()) {
            // Alone: straight to the writer queue, in write.queue's order, as before group commit.
            // A database with several writers runs units side by side instead: none waits for a
            // group to end, and its own commits are what serialise them where they conflict.
            return lead(null, work, deadline);
        }
        Turn turn = queue(deadline);
        return turn.role() == GroupCommitQueue.Role.LEAD ? lead(turn, work, deadline) : join(turn, work, deadline);
    }

    private Turn queue(WriteDeadline deadline) {
        EngineSettings settings = core.settings();
        long wait = Math.min(settings.connectionTimeout(), deadline.millisLeft());
        Turn turn;
        try {
            turn = wait > 0 ? core.units().enter(wait) : null;
        } catch (InterruptedException e) {
            throw interrupted();
        }
        if (turn == null) {
            throw waitedTooLong(settings, wait);
        }
        return turn;
    }

    // The first unit of a group

    private <T> T lead(Turn turn, SqlWork<T> work, WriteDeadline deadline) {
        try {
            enterGate(turn, deadline);
        } catch (RuntimeException | Error e) {
            release(turn, false, Outcome.LOST);
            throw e;
        }
        PoolGeneration generation;
        try {
            generation = core.current().enter();
        } catch (RuntimeException | Error e) {
            core.gate().exit();
            release(turn, false, Outcome.LOST);
            throw e;
        }
        String fault = generation.place().fault();
        if (fault != null) {
            // Reopening takes the engine's lifecycle lock, which a pool switch holds while it
            // waits for the gate: leave the gate first, then come back through the queue.
            generation.exit();
            core.gate().exit();
            release(turn, false, Outcome.LOST);
            reopener.reopen(generation, fault); // throws while the file is gone
            return run(work, deadline);
        }
        WriterTransaction tx;
        try {
            tx = begin(generation, deadline);
        } catch (RuntimeException | Error e) {
            generation.exit();
            core.gate().exit();
            release(turn, false, Outcome.LOST);
            throw e;
        }
        T result;
        try {
            result = runUnit(tx, work);
        } catch (UnitFailed f) {
            // Only its own work is in the transaction: roll all of it back.
            rollback(tx.connection(), f.getCause());
            finish(tx, false);
            release(turn, false, Outcome.LOST);
            throw f.rethrow(failures);
        }
        return afterRun(turn, tx, result, work, deadline);
    }

    /** Gives the queue's turn on, if the unit had one (a unit that runs alone has none). */
    private void release(Turn turn, boolean member, Outcome outcome) {
        if (turn != null) {
            core.units().ended(turn, member, outcome);
        }
    }

    private void enterGate(Turn turn, WriteDeadline deadline) {
        EngineSettings settings = core.settings();
        long wait = Math.min(settings.connectionTimeout(), deadline.millisLeft());
        boolean entered;
        try {
            entered = wait > 0 && core.gate().enter(wait, settings.writeQueue(), settings.bargeLimit(),
                    turn == null ? System.nanoTime() : turn.queued());
        } catch (InterruptedException e) {
            throw interrupted();
        }
        if (!entered) {
            throw waitedTooLong(settings, wait);
        }
    }

    /** Takes the writer connection and begins the group's transaction; gives back the connection if that fails. */
    private WriterTransaction begin(PoolGeneration generation, WriteDeadline deadline) {
        if (generation.settings().readOnly()) {
            throw failures.failed(new ConnectionException(core.name(), "the engine is read-only (readOnly=true): write units are refused",
                    core.errors().readOnlyCode(), null));
        }
        Connection c = pools.checkOut(generation, true);
        EngineSettings inEffect = generation.settings();
        boolean shortened;
        try {
            shortened = core.transactions().limitLockWait(c, deadline.millisLeft(), inEffect);
        } catch (SQLException e) {
            pools.checkIn(generation, PoolGeneration.WRITER, c, false);
            throw failures.failed(core.errors().map(core.name(), "bounding busy_timeout by " + EngineProperties.WRITE_DEADLINE, e, ""));
        } catch (RuntimeException | Error e) {
            pools.checkIn(generation, PoolGeneration.WRITER, c, false);
            throw e;
        }
        WriterTransaction tx = new WriterTransaction(Thread.currentThread(), generation, c, inEffect, shortened);
        try {
            core.transactions().beginWrite(c);
        } catch (SQLException e) {
            releaseConnection(tx, false);
            throw failures.failed(core.errors().map(core.name(), "beginning a write transaction", e, ""));
        } catch (RuntimeException | Error e) {
            releaseConnection(tx, false);
            throw e;
        }
        core.listeners().fire(EngineEvent.Type.BEGIN, "", null);
        return tx;
    }

    // The later units of a group

    private <T> T join(Turn turn, SqlWork<T> work, WriteDeadline deadline) {
        WriterTransaction tx = open;
        assert tx != null : "[" + core.name() + "] a write unit joined a group with no open transaction";
        Connection c = tx.connection();
        T result;
        try {
            core.transactions().execute(c, "SAVEPOINT " + SAVEPOINT);
        } catch (SQLException e) {
            // Nothing of it is in the transaction: the group goes on without it, if it can.
            return afterFailure(turn, tx, new UnitFailed(core.errors().map(core.name(), "beginning a write unit in a group",
                    e, ""), true), false);
        }
        core.listeners().fire(EngineEvent.Type.BEGIN, "", null);
        try {
            result = runUnit(tx, work);
        } catch (UnitFailed f) {
            return afterFailure(turn, tx, f, true);
        }
        try {
            core.transactions().execute(c, "RELEASE " + SAVEPOINT);
        } catch (SQLException e) {
            return afterFailure(turn, tx, new UnitFailed(core.errors().map(core.name(), "write unit", e, ""), true), true);
        }
        return afterRun(turn, tx, result, work, deadline);
    }

    /**
     * A unit that joined failed: undone to its savepoint, the group goes on without it. If the
     * database ended the whole transaction instead, or the undo fails, the group ends there and
     * the units before it run again.
     *
     * @param begun whether its savepoint was taken (and its {@code BEGIN} heard), so that there is
     *        something of it to undo, and its run ends with a {@code ROLLBACK}
     */
    private <T> T afterFailure(Turn turn, WriterTransaction tx, UnitFailed f, boolean begun) {
        Connection c = tx.connection();
        boolean undone = core.transactions().inTransaction(c);
        if (undone && begun) {
            try {
                core.transactions().execute(c, "ROLLBACK TO " + SAVEPOINT);
                core.transactions().execute(c, "RELEASE " + SAVEPOINT);
            } catch (SQLException e) {
                f.getCause().addSuppressed(e);
                undone = false;
            }
        }
        if (!undone) {
            open = null;
            undo(c, f.getCause());
        }
        if (begun) {
            rolledBack(String.valueOf(f.getCause().getMessage()), f.getCause());
        }
        if (undone) {
            passOnOrCommit(turn, tx, false);
        } else {
            finish(tx, false);
            release(turn, false, Outcome.LOST);
        }
        throw f.rethrow(failures);
    }

    // Ending a turn

    /**
     * The unit's work ran, in the open transaction: pass the group on and wait for its outcome,
     * or commit it. Should its work be lost with the group, for a reason not its own, it runs
     * again, alone, before anyone who queued after it.
     */
    private <T> T afterRun(Turn turn, WriterTransaction tx, T result, SqlWork<T> work, WriteDeadline deadline) {
        if (passOnOrCommit(turn, tx, true)) {
            return result;
        }
        core.units().awaitTurnAgain(turn);
        return lead(turn, work, deadline);
    }

    /**
     * @param member whether the unit's work is in the transaction, so that its result waits for the commit
     * @return for a member, whether its work committed (then counted, and heard as {@code COMMIT});
     *         for the others, nothing to wait for (true)
     */
    private boolean passOnOrCommit(Turn turn, WriterTransaction tx, boolean member) {
        open = tx;
        Group group = turn == null ? null : core.units().passOn(turn, member, room(tx));
        if (group != null) {
            if (!member) {
                return true;
            }
            if (core.units().awaitOutcome(group) != Outcome.COMMITTED) {
                rolledBack(LOST, null); // its run ends here, as every run that began; the next one begins again
                return false;
            }
            committed();
            return true;
        }
        group = turn == null ? null : turn.group();
        open = null;
        EngineException failure = null;
        try {
            core.transactions().commit(tx.connection());
        } catch (SQLException e) {
            failure = core.errors().map(core.name(), group == null ? "write unit" : "write units committed together", e, "");
            undo(tx.connection(), failure);
            if (member) {
                rolledBack(failure.getMessage(), failure); // the others of the group hear it when they learn the outcome
            }
        }
        if (failure == null && member) {
            committed(); // heard before the writer goes back to its pool, as for a unit alone
        }
        finish(tx, failure == null);
        release(turn, member, failure == null ? Outcome.COMMITTED : Outcome.LOST);
        if (failure != null && member && group == null) {
            throw failures.failed(failure); // it ran alone: the failure is its own
        }
        return failure == null;
    }

    /**
     * @return how many units the group may hold: {@code write.groupCommit}, or none more while a
     *         writer that is not a unit (a {@code DataSource} transaction, maintenance, a pool
     *         switch) waits at the gate, so that it keeps its place in the gate's order
     */
    private int room(WriterTransaction tx) {
        return core.gate().waiting() > 0 ? 1 : tx.settings().groupCommit();
    }

    private void committed() {
        core.metrics().commits.increment();
        core.listeners().fire(EngineEvent.Type.COMMIT, "", null);
    }

    /** Gives back what the group's first unit took: the lock wait, the writer connection, the generation, the gate. */
    private void finish(WriterTransaction tx, boolean clean) {
        try {
            releaseConnection(tx, clean);
        } finally {
            try {
                tx.generation().exit();
            } finally {
                core.gate().exit(tx.entrant());
            }
        }
    }

    private void releaseConnection(WriterTransaction tx, boolean clean) {
        if (tx.shortenedLockWait() && !core.transactions().restoreLockWait(tx.connection(), tx.settings())) {
            tx.generation().evict(PoolGeneration.WRITER, tx.connection());
        }
        pools.checkIn(tx.generation(), PoolGeneration.WRITER, tx.connection(), clean);
    }

    // Running one unit's work

    /** A unit's own failure: what to throw, once the transaction is in order again. */
    static final class UnitFailed extends Exception {
        private static final long serialVersionUID = 1L;
        /** Whether it is the engine's mapping of an SQL failure, not yet counted; else the work's own exception. */
        private final boolean uncounted;

        UnitFailed(Throwable cause, boolean uncounted) {
            super(null, cause, false, false);
            this.uncounted = uncounted;
        }

        RuntimeException rethrow(UnitFailures failures) {
            Throwable t = getCause();
            if (t instanceof Error e) {
                throw e;
            }
            if (uncounted) {
                return failures.failed((EngineException) t);
            }
            return (RuntimeException) t;
        }
    }

    private <T> T runUnit(WriterTransaction tx, SqlWork<T> work) throws UnitFailed {
        UnitTransaction unit = new UnitTransaction(tx.connection(), core.transactions(), true, core.name(),
                core.statements(), tx.generation().statementCaches());
        current.set(unit);
        try {
            T result = work.run(new UnitConnection(unit));
            if (unit.aborted != null) {
                throw new UnitFailed(failures.aborted(unit, "write unit"), true);
            }
            return result;
        } catch (SQLException e) {
            throw new UnitFailed(failures.endedBy(unit, e) ? failures.aborted(unit, "write unit")
                    : core.errors().map(core.name(), "write unit", e, ""), true);
        } catch (RuntimeException | Error e) {
            throw new UnitFailed(e, false);
        } finally {
            current.remove();
            unit.endStatements();
        }
    }

    /** Rolls the transaction back, and counts and tells that the unit's run ended so. */
    private void rollback(Connection c, Throwable why) {
        undo(c, why);
        rolledBack(String.valueOf(why.getMessage()), why);
    }

    private void undo(Connection c, Throwable why) {
        try {
            core.transactions().rollback(c);
        } catch (SQLException e) {
            // The database may have ended the transaction by itself after the error that got us here.
            if (!core.errors().isNoTransaction(e)) {
                why.addSuppressed(e);
            }
        }
    }

    /** One unit's run ended without a commit: counted, and heard as {@code ROLLBACK}, once per run. */
    private void rolledBack(String message, Throwable why) {
        core.metrics().rollbacks.increment();
        core.listeners().fire(EngineEvent.Type.ROLLBACK, message, why);
    }

    private EngineException interrupted() {
        Thread.currentThread().interrupt();
        return failures.failed(new ConnectionException(core.name(), "interrupted while waiting for the writer connection"));
    }

    /** @param wait how long it waited: the connection timeout, or less when the deadline was nearer */
    private EngineException waitedTooLong(EngineSettings settings, long wait) {
        int waiting = core.units().waiting() + core.gate().waiting();
        if (wait < settings.connectionTimeout()) {
            return failures.failed(new ConnectionException(core.name(), "a write unit gave up waiting for the writer connection: "
                    + EngineProperties.WRITE_DEADLINE + "=" + settings.writeDeadline() + " ms passed; "
                    + waiting + " more writers are waiting. Some unit or transaction holds the writer"
                    + " too long, or another process holds the database's lock, or the deadline is too short."));
        }
        return failures.failed(new ConnectionException(core.name(), "a write unit waited " + settings.connectionTimeout()
                + " ms (osgi.connection.timeout) for the writer connection; " + waiting
                + " more writers are waiting. Some unit or transaction holds the writer too long, or the timeout is too short."));
    }
}
