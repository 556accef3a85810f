package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;

/**
 * A write transaction open on the writer connection, as the write units of one group share it
 * (see {@link GroupedWrites}): what its first unit took (its place in the writer queue, the
 * generation, the writer connection, a shortened lock wait), and so what its last unit gives
 * back. It moves from thread to thread with the turns of the {@code GroupCommitQueue}, which
 * publishes it: one thread uses it at a time.
 *
 * @param entrant the thread of its first unit, which entered the writer queue: the last unit,
 *        on its own thread, leaves it for that one
 * @param generation the generation entered for it; exited when it ends
 * @param connection the writer connection, checked out for it
 * @param settings the generation's settings when it began: the lock wait to restore
 * @param shortenedLockWait whether its first unit's deadline shortened the lock wait
 */
record WriterTransaction(Thread entrant, PoolGeneration generation, Connection connection, EngineSettings settings,
        boolean shortenedLockWait) {
}
