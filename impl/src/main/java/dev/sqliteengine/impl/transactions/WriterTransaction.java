package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write transaction on a writer connection, from the {@code BEGIN} of the first unit that runs
 * in it to the {@code COMMIT} or {@code ROLLBACK} of the last (one unit, or a group of them: see
 * {@link GroupedWrites}). It holds what its first unit took, in the lock order of every write: a
 * place in the writer queue, the generation, the writer connection, and a lock wait shortened to
 * that unit's deadline; {@link #end} gives them back in reverse order. It moves from thread to
 * thread with the turns of the {@code GroupCommitQueue}, which publishes it: one thread uses it
 * at a time.
 * <p>
 * Its wait for another process's lock is the first unit's, bounded by that unit's
 * {@code write.deadline}; the units that join later run under it (they hold the write lock of
 * the group, so only the {@code COMMIT} of a database that is not in WAL mode may wait at all).
 */
final class WriterTransaction {

    private final EngineCore core;
    private final UnitPools pools;
    /** The thread that entered the writer queue: the last unit, on its own thread, leaves it for that one. */
    private final Thread entrant;
    private final PoolGeneration generation;
    private final Connection connection;
    /** The generation's settings when it began: the lock wait to restore, the size of a group. */
    private final EngineSettings settings;
    private final boolean shortenedLockWait;

    private WriterTransaction(EngineCore core, UnitPools pools, PoolGeneration generation, Connection connection,
            EngineSettings settings, boolean shortenedLockWait) {
        this.core = core;
        this.pools = pools;
        this.entrant = Thread.currentThread();
        this.generation = generation;
        this.connection = connection;
        this.settings = settings;
        this.shortenedLockWait = shortenedLockWait;
    }

    /**
     * Takes a place in the writer queue for the calling unit, waiting at most the connection
     * timeout or what is left of its deadline.
     *
     * @param queuedSince when the unit started to wait ({@link System#nanoTime()}), so that its
     *        wait is recorded once, with the time it spent in the write units' queue before
     */
    static void enterWriterQueue(EngineCore core, UnitFailures failures, long queuedSince, WriteDeadline deadline) {
        EngineSettings settings = core.settings();
        long wait = Math.min(settings.connectionTimeout(), deadline.millisLeft());
        boolean entered;
        try {
            entered = wait > 0 && core.gate().enter(wait, settings.writeQueue(), settings.bargeLimit(), queuedSince);
        } catch (InterruptedException e) {
            throw failures.interruptedWaiting();
        }
        if (!entered) {
            throw failures.waitedTooLong(settings, wait);
        }
    }

    /**
     * Takes the writer connection of {@code generation}, which the calling unit entered holding its
     * place in the writer queue, bounds its lock wait by the unit's deadline, and begins; the
     * {@code BEGIN} is heard. On failure the connection goes back; the place and the generation
     * stay the caller's to give back.
     */
    static WriterTransaction begin(EngineCore core, UnitPools pools, UnitFailures failures, PoolGeneration generation,
            WriteDeadline deadline) {
        EngineSettings inEffect = generation.settings();
        if (inEffect.readOnly()) {
            throw failures.failed(new ConnectionException(core.name(), "the engine is read-only (readOnly=true): write units are refused",
                    core.errors().readOnlyCode(), null));
        }
        Connection c = pools.checkOut(generation, true);
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
        WriterTransaction tx = new WriterTransaction(core, pools, generation, c, inEffect, shortened);
        try {
            core.transactions().beginWrite(c);
        } catch (SQLException e) {
            tx.giveBackConnection(false);
            throw failures.failed(core.errors().map(core.name(), "beginning a write transaction", e, ""));
        } catch (RuntimeException | Error e) {
            tx.giveBackConnection(false);
            throw e;
        }
        core.listeners().fire(EngineEvent.Type.BEGIN, "", null);
        return tx;
    }

    Connection connection() {
        return connection;
    }

    PoolGeneration generation() {
        return generation;
    }

    /**
     * @return how many units a group in this transaction may hold: {@code write.groupCommit}, or
     *         none more while a writer that is not a unit (a {@code DataSource} transaction, a
     *         maintenance step, a pool switch, a restore) waits in the writer queue, so that it
     *         keeps its place there and waits for the unit that runs now, not for a whole group
     */
    int room() {
        return core.gate().waiting() > 0 ? 1 : settings.groupCommit();
    }

    void commit() throws SQLException {
        core.transactions().commit(connection);
        // Before the units return: a read that follows them, on any thread, can then wait for it.
        core.reads().committed(connection, generation.replicas(), settings.replicas());
    }

    /**
     * Rolls back; a failure to do so is added to {@code why}, unless the database had ended the
     * transaction by itself after the error that got here.
     */
    void rollback(Throwable why) {
        try {
            core.transactions().rollback(connection);
        } catch (SQLException e) {
            if (!core.errors().isNoTransaction(e)) {
                why.addSuppressed(e);
            }
        }
    }

    /**
     * Gives back what the first unit took: the lock wait, the writer connection (rolled back, or
     * evicted, unless {@code clean}), the generation, the place in the writer queue.
     */
    void end(boolean clean) {
        try {
            giveBackConnection(clean);
        } finally {
            try {
                generation.exit();
            } finally {
                core.gate().exit(entrant);
            }
        }
    }

    private void giveBackConnection(boolean clean) {
        if (shortenedLockWait && !core.transactions().restoreLockWait(connection, settings)) {
            generation.evict(PoolGeneration.WRITER, connection);
        }
        pools.checkIn(generation, PoolGeneration.WRITER, connection, clean);
    }
}
