package dev.sqliteengine.impl.engine;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The queue in front of the engine's single writer connection.
 * <p>
 * Invariants:
 * <ul>
 * <li>At most one write unit of this engine holds the gate at a time, across pool generations:
 * the gate belongs to the engine, not to a pool, so a pool switch never lets two of our own
 * writers contend for SQLite's write lock (which would surface as SQLITE_BUSY).</li>
 * <li>Waiters are served first come, first served (a fair semaphore), so a steady stream of
 * writers cannot starve one of them; each waits at most the connection timeout.</li>
 * <li>The gate is not reentrant by itself: nested write units on the same thread join the outer
 * unit before they reach the gate (see {@link EngineConnectionManager}).</li>
 * </ul>
 * Lock order: the gate is taken before a writer connection is checked out of its pool, and
 * released after the connection went back.
 */
final class WriterGate {

    private final Semaphore permit = new Semaphore(1, true);

    /**
     * @param timeoutMillis how long to wait
     * @return whether the gate was entered; on false the caller must not {@link #exit()}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean enter(long timeoutMillis) throws InterruptedException {
        return permit.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Leaves the gate; only the thread that entered it may call this, exactly once. */
    void exit() {
        permit.release();
    }

    /** @return an estimate of the threads waiting, for error messages and status */
    int waiting() {
        return permit.getQueueLength();
    }
}
