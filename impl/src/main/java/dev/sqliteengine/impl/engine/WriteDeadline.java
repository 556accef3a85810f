package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConnectionException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The deadline of one write unit, counted from the call ({@code write.deadline}): every wait of
 * the unit ends by it, the writer queue, SQLite's busy handler waiting for another process's
 * lock, and the backoff between retries. The work's own running time is not cut short.
 * <p>
 * SQLite's wait is bounded by lowering the writer's {@code busy_timeout} for one run when less
 * time is left than it allows; the writer must get its own value back before it returns to the
 * pool, or be evicted ({@link #restoreBusyTimeout}). One object per top-level write unit, confined
 * to its thread.
 */
final class WriteDeadline {

    private final String engine;
    private final long end;

    WriteDeadline(String engine, long millis) {
        this.engine = engine;
        this.end = System.nanoTime() + millis * 1_000_000L;
    }

    /** @return the milliseconds left, never negative */
    long millisLeft() {
        return Math.max(0, (end - System.nanoTime()) / 1_000_000L);
    }

    /**
     * Lowers the writer's {@code busy_timeout} to what is left, when that is less.
     *
     * @return whether it was lowered, so that {@link #restoreBusyTimeout} must follow
     * @throws SQLException when the pragma fails
     */
    boolean shortenBusyTimeout(Connection writer, long busyTimeout) throws SQLException {
        long left = millisLeft();
        if (left >= busyTimeout) {
            return false;
        }
        NativeExec.exec(writer, "PRAGMA busy_timeout=" + Math.max(1, left));
        return true;
    }

    /** @return false when the writer could not get its busy_timeout back, so it must not be used again */
    static boolean restoreBusyTimeout(Connection writer, long busyTimeout) {
        try {
            NativeExec.exec(writer, "PRAGMA busy_timeout=" + busyTimeout);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Waits before a retry.
     *
     * @throws ConnectionException when interrupted (the flag is restored)
     */
    void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(engine, "interrupted while waiting to retry a write unit");
        }
    }

}
