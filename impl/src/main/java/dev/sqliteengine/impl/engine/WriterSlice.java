package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One maintenance step on the engine's writer connection, outside any transaction (a checkpoint
 * or {@code VACUUM} cannot run inside one), its waiting bounded to one slice. The step's own work
 * is the caller's to size (incremental vacuum adapts its pages; a checkpoint copies what the WAL
 * holds, as SQLite's automatic checkpoint does on a committing writer).
 * <p>
 * Invariants: the step holds the {@link WriterGate} (taken like any writer, first come first
 * served, through its {@code enter}/{@code exit} only), then enters the current generation, then
 * takes the writer connection, and gives them back in reverse order, the lock order of a write
 * unit. SQLite's {@code busy_timeout} is cut to the slice for the step, so a step that waits for a
 * reader (a TRUNCATE checkpoint) gives up after one slice instead of holding the writer; the
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
    static <T> T run(SqliteEngine engine, long waitMillis, long sliceMillis, SqlWork<T> step) throws SQLException {
        WriterGate gate = engine.gate();
        if (gate.heldByCurrentThread()) {
            throw new IllegalStateException("[" + engine.name() + "] maintenance runs on its own thread, never under the writer");
        }
        try {
            EngineSettings settings = engine.settings();
            if (!gate.enter(waitMillis, settings.writeQueue(), settings.bargeLimit())) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        assert gate.heldByCurrentThread() : "[" + engine.name() + "] a maintenance step must hold the writer gate";
        try {
            PoolGeneration generation = engine.enter();
            try {
                if (generation.location().fault() != null || generation.settings().readOnly()) {
                    return null;
                }
                return onWriter(generation, sliceMillis, step);
            } finally {
                generation.exit();
            }
        } finally {
            gate.exit();
        }
    }

    private static <T> T onWriter(PoolGeneration generation, long sliceMillis, SqlWork<T> step) throws SQLException {
        Connection c = generation.writerConnection();
        long busyTimeout = generation.settings().busyTimeout();
        boolean clean = false;
        try {
            NativeExec.exec(c, "PRAGMA busy_timeout=" + Math.min(busyTimeout, sliceMillis));
            T result = step.run(c);
            clean = true;
            return result;
        } finally {
            boolean reusable = WriteDeadline.restoreBusyTimeout(c, busyTimeout);
            if (!clean && NativeExec.inTransaction(c)) {
                try {
                    NativeExec.exec(c, "ROLLBACK");
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
