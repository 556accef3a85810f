package dev.sqliteengine.impl.operations;

import dev.sqliteengine.api.SqlWork;
import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.transactions.EngineCore;
import dev.sqliteengine.impl.writer.WriterQueue;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One maintenance step on the engine's writer connection, outside any transaction (a checkpoint
 * or {@code VACUUM} cannot run inside one), its waiting bounded to one slice. The step's own work
 * is the caller's to size (incremental vacuum adapts its pages; a checkpoint copies what the WAL
 * holds, as SQLite's automatic checkpoint does on a committing writer).
 * <p>
 * Invariants: the step holds the {@link WriterQueue} (taken like any writer, first come first
 * served, through its {@code enter}/{@code exit} only), then enters the current generation, then
 * takes the writer connection, and gives them back in reverse order, the lock order of a write
 * unit. The wait for another process's lock (SQLite: {@code busy_timeout}) is cut to the slice for the
 * step, so a step that waits for a reader (a TRUNCATE checkpoint) gives up after one slice instead of holding the writer; the
 * writer gets its own value back before it returns to its pool, or is evicted. A step never waits
 * for the engine's lifecycle lock, so it cannot hold up a reconfiguration or a close beyond the
 * drain of the generation it runs on.
 */
final class WriterSlice {

    private WriterSlice() {}

    /**
     * @param waitMillis how long to queue for the writer
     * @param sliceMillis the step's busy_timeout
     * @return the step's result, or null when the writer did not come free in time, or the file
     *         moved (the next write unit reopens it)
     * @throws SQLException when the step fails
     * @throws dev.sqliteengine.api.ConnectionException when the engine failed or is closing
     */
    static <T> T run(EngineCore core, long waitMillis, long sliceMillis, SqlWork<T> step) throws SQLException {
        WriterQueue gate = core.gate();
        if (gate.heldByCurrentThread()) {
            throw new IllegalStateException("[" + core.name() + "] maintenance runs on its own thread, never under the writer");
        }
        try {
            EngineSettings settings = core.settings();
            if (!gate.enter(waitMillis, settings.writeQueue(), settings.bargeLimit())) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        assert gate.heldByCurrentThread() : "[" + core.name() + "] a maintenance step must hold the writer gate";
        try {
            PoolGeneration generation = core.current().enter();
            try {
                if (generation.place().fault() != null || generation.settings().readOnly()) {
                    return null;
                }
                return onWriter(core.transactions(), generation, sliceMillis, step);
            } finally {
                generation.exit();
            }
        } finally {
            gate.exit();
        }
    }

    private static <T> T onWriter(TransactionControl transactions, PoolGeneration generation, long sliceMillis,
            SqlWork<T> step) throws SQLException {
        Connection c = generation.writerConnection();
        EngineSettings settings = generation.settings();
        boolean clean = false;
        try {
            transactions.limitLockWait(c, sliceMillis, settings);
            T result = step.run(c);
            clean = true;
            return result;
        } finally {
            boolean reusable = transactions.restoreLockWait(c, settings);
            if (!clean && transactions.inTransaction(c)) {
                try {
                    transactions.rollback(c);
                } catch (SQLException e) {
                    reusable = false;
                }
            }
            if (!reusable) {
                generation.evict(PoolGeneration.WRITER, c);
            }
            c.close();
        }
    }
}
