package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.SqlWork;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.transactions.UnitWork.Failed;
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
 * check-out and check-in per unit. A group's first unit takes the writer ({@link WriterTransaction});
 * its last unit gives it back. A writer that is not a unit (a {@code DataSource} transaction, a
 * maintenance step, a pool switch, a restore) waiting in the writer queue ends the group at the
 * unit that runs now. Every run of a unit is heard as {@code BEGIN} and then {@code COMMIT} or
 * {@code ROLLBACK}, on its own thread, and counted in {@code commits} or {@code rollbacks}, as a
 * unit alone is.
 * <p>
 * Only a database with one writer groups units: one open group at a time, as the queue grants.
 * With several writers (PostgreSQL) every unit runs alone, the way a unit runs with
 * {@code write.groupCommit=1}: straight to the writer queue, side by side with the others.
 * <p>
 * Lock order, as for every write: the queue's turn, then the writer queue, then the generation,
 * then the writer connection; given back in reverse order by the unit that ends the group.
 * <p>
 * Why one class of this size: a unit's turn has two ends, leading and joining, that meet in how
 * it ends ({@link #passOnOrCommit}); apart, the hand-over of the open transaction between them
 * ({@link #open}) would be guarded in two places. What a group takes and gives back is
 * {@link WriterTransaction}, a unit's work {@link UnitWork}, the turns {@link GroupCommitQueue}.
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
    private final UnitWork units;
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
        this.units = new UnitWork(core, failures, current);
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
            throw failures.interruptedWaiting();
        }
        if (turn == null) {
            throw failures.waitedTooLong(settings, wait);
        }
        return turn;
    }

    // The first unit of a group

    private <T> T lead(Turn turn, SqlWork<T> work, WriteDeadline deadline) {
        try {
            WriterTransaction.enterWriterQueue(core, failures, turn == null ? System.nanoTime() : turn.queued(), deadline);
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
            // waits for the writer queue: leave it first, then come back through the queue.
            generation.exit();
            core.gate().exit();
            release(turn, false, Outcome.LOST);
            reopener.reopen(generation, fault); // throws while the file is gone
            return run(work, deadline);
        }
        WriterTransaction tx;
        try {
            tx = WriterTransaction.begin(core, pools, failures, generation, deadline);
        } catch (RuntimeException | Error e) {
            generation.exit();
            core.gate().exit();
            release(turn, false, Outcome.LOST);
            throw e;
        }
        T result;
        try {
            result = units.run(tx, work);
        } catch (Failed f) {
            // Only its own work is in the transaction: roll all of it back.
            tx.rollback(f.getCause());
            rolledBack(String.valueOf(f.getCause().getMessage()), f.getCause());
            tx.end(false);
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
            return afterFailure(turn, tx, new Failed(core.errors().map(core.name(), "beginning a write unit in a group",
                    e, "")), false);
        }
        core.listeners().fire(EngineEvent.Type.BEGIN, "", null);
        try {
            result = units.run(tx, work);
        } catch (Failed f) {
            return afterFailure(turn, tx, f, true);
        }
        try {
            core.transactions().execute(c, "RELEASE " + SAVEPOINT);
        } catch (SQLException e) {
            return afterFailure(turn, tx, new Failed(core.errors().map(core.name(), "write unit", e, "")), true);
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
    private <T> T afterFailure(Turn turn, WriterTransaction tx, Failed f, boolean begun) {
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
            tx.rollback(f.getCause());
        }
        if (begun) {
            rolledBack(String.valueOf(f.getCause().getMessage()), f.getCause());
        }
        if (undone) {
            passOnOrCommit(turn, tx, false);
        } else {
            tx.end(false);
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
        Group group = turn == null ? null : core.units().passOn(turn, member, tx.room());
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
            tx.commit();
        } catch (SQLException e) {
            failure = core.errors().map(core.name(), group == null ? "write unit" : "write units committed together", e, "");
            tx.rollback(failure);
            if (member) {
                rolledBack(failure.getMessage(), failure); // the others of the group hear it when they learn the outcome
            }
        }
        if (failure == null && member) {
            committed(); // heard before the writer goes back to its pool, as for a unit alone
        }
        tx.end(failure == null);
        release(turn, member, failure == null ? Outcome.COMMITTED : Outcome.LOST);
        if (failure != null && member && group == null) {
            throw failures.failed(failure); // it ran alone: the failure is its own
        }
        return failure == null;
    }

    private void committed() {
        core.metrics().commits.increment();
        core.listeners().fire(EngineEvent.Type.COMMIT, "", null);
    }

    /** One unit's run ended without a commit: counted, and heard as {@code ROLLBACK}, once per run. */
    private void rolledBack(String message, Throwable why) {
        core.metrics().rollbacks.increment();
        core.listeners().fire(EngineEvent.Type.ROLLBACK, message, why);
    }
}
