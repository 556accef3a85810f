package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.ConnectionException;

/**
 * The deadline of one write unit, counted from the call ({@code write.deadline}): every wait of
 * the unit ends by it, the writer queue, SQLite's busy handler waiting for another process's
 * lock, and the backoff between retries. The work's own running time is not cut short.
 * <p>
 * The database's wait for another process's lock is bounded through
 * {@code TransactionControl.limitLockWait} for one run when less time is left than it allows (SQLite:
 * {@code busy_timeout}); the writer must get its own value back before it returns to the pool, or
 * be evicted. One object per top-level write unit, confined to its thread.
 */
public final class WriteDeadline {

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
