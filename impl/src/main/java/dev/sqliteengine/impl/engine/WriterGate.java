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
 * writers cannot starve one of them; each waits at most the connection timeout. With the fair
 * queue off ({@code write.fairQueue=false}), a thread that finds the permit free takes it at once
 * ({@link Semaphore#tryAcquire()} barges even on a fair semaphore) instead of queueing behind
 * threads that are still being woken: on two cores that doubles write throughput under
 * contention, at the price of order; the wait stays bounded by the timeout.</li>
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
     * @param fair whether to queue behind waiting threads even when the permit is free
     * @return whether the gate was entered; on false the caller must not {@link #exit()}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean enter(long timeoutMillis, boolean fair) throws InterruptedException {
        return !fair && permit.tryAcquire() || permit.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
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
