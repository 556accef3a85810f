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
 * unit before they reach the gate (see {@link EngineConnectionManager}). A thread that holds the
 * gate (a write unit, or a {@code DataSource} transaction it began) and asks for it again would
 * wait for itself until the timeout; callers check {@link #heldByCurrentThread()} first and
 * refuse at once with an error that says so.</li>
 * <li>Who holds the gate is a write unit or a {@link ClientConnection} with a write transaction;
 * the latter may be closed on another thread than the one that began it, which a
 * {@link Semaphore} (unlike a lock) allows. {@link #holder} is set only while the permit is
 * held, and checked by assertions on every enter and exit.</li>
 * </ul>
 * Lock order: a write unit takes the gate before it checks the writer connection out of its
 * pool, and releases it after the connection went back. A {@code DataSource} connection is
 * checked out of its own pool first and takes the gate at its first write; the writer connection
 * is only ever used under the gate, so the two orders never wait for each other.
 */
final class WriterGate {

    private final Semaphore permit = new Semaphore(1, true);
    private final EngineMetrics metrics;
    /** The thread that entered, while it holds the gate; null while the gate is free. */
    private volatile Thread holder;

    /** @param metrics where each writer's wait in the queue, and whether it gave up, is recorded */
    WriterGate(EngineMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param timeoutMillis how long to wait
     * @param fair whether to queue behind waiting threads even when the permit is free
     * @return whether the gate was entered; on false the caller must not {@link #exit()}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean enter(long timeoutMillis, boolean fair) throws InterruptedException {
        long queued = System.nanoTime();
        boolean entered = !fair && permit.tryAcquire() || permit.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
        metrics.queued(queued, entered);
        if (entered) {
            assert holder == null : "the writer gate was entered while " + holder + " held it";
            holder = Thread.currentThread();
        }
        return entered;
    }

    /** Leaves the gate; called exactly once for each successful {@link #enter}, by its owner. */
    void exit() {
        assert permit.availablePermits() == 0 && holder != null : "the writer gate was left without being entered";
        holder = null;
        permit.release();
    }

    /** @return whether the calling thread holds the gate, and so would wait for itself */
    boolean heldByCurrentThread() {
        return holder == Thread.currentThread();
    }

    /** @return an estimate of the threads waiting, for error messages and status */
    int waiting() {
        return permit.getQueueLength();
    }
}
