package dev.sqliteengine.impl.writer;

import dev.sqliteengine.impl.settings.WriteQueue;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The queue in front of the engine's single writer connection.
 * <p>
 * Invariants (held under {@link #lock}, checked by {@link #consistent()} under -ea):
 * <ul>
 * <li>At most one write unit of this engine holds the gate at a time, across pool generations:
 * the gate belongs to the engine, not to a pool, so a pool switch never lets two of our own
 * writers contend for SQLite's write lock (which would surface as SQLITE_BUSY).
 * {@link #holder} is non-null exactly while the gate is held.</li>
 * <li>{@link #waiters} holds the threads that wait, in arrival order, none of them granted. A
 * waiter leaves it only by being granted the gate (then it is the holder at once: a hand-off
 * never lets the gate be free in between) or by giving up.</li>
 * <li>The order among waiters depends on the {@link WriteQueue}: FIFO grants only to the head
 * and lets nobody take a free gate while anyone waits. BOUNDED lets a thread that finds the gate
 * free take it ahead of the waiters only while the head has been the head for less than the
 * barge limit ({@link #headSince}); once it has, the next exit hands the gate to the head, so no
 * one overtakes a head past the limit. BARGING lets anyone take a free gate.</li>
 * <li>The gate is not reentrant: nested write units on the same thread join the outer unit
 * before they reach the gate (see {@code EngineConnectionManager}). Callers check
 * {@link #heldByCurrentThread()} first and refuse at once instead of waiting for themselves.</li>
 * <li>A {@code ClientConnection} with a write transaction may leave the gate on another thread
 * than the one that entered it, so exit does not require the caller to be the holder.</li>
 * </ul>
 * What a BOUNDED gate saves: under contention a FIFO exit wakes the next waiter for every unit,
 * and on a small machine that wake-up costs more than a one-row unit. A running thread that
 * takes the free gate needs no wake-up; the head is woken at most once per turn to look
 * (in case nobody else comes), then sleeps until its limit passes.
 * <p>
 * Parking and waking happen outside the lock. Lock order: a write unit takes the gate before it
 * checks the writer connection out of its pool, and releases it after the connection went back.
 * A {@code DataSource} connection is checked out of its own pool first and takes the gate at its
 * first write; the writer connection is only ever used under the gate, so the two orders never
 * wait for each other.
 */
public final class WriterGate {

    /** One thread waiting; {@code granted} is written under the lock and read by its thread without it. */
    private static final class Waiter {
        final Thread thread;
        volatile boolean granted;
        /** Whether an exit has woken this waiter in its current turn as head (BOUNDED wakes it once). */
        boolean woken;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final LongSupplier ticker;
    /** Where each writer's wait in the queue, and whether it gave up, is recorded. */
    private final QueueWaits metrics;
    /** The thread that entered, while the gate is held; null while it is free. Written under the lock. */
    private volatile Thread holder;
    /** The {@link #ticker} time the current head became the head; meaningless while nobody waits. */
    private long headSince;
    /** The queue and limit of the last enter: the exit follows the rules its waiters queued under. */
    private WriteQueue queue = WriteQueue.FIFO;
    private long bargeLimitNanos;

    WriterGate() {
        this(QueueWaits.NONE);
    }

    /** @param metrics where each writer's wait in the queue, and whether it gave up, is recorded */
    public WriterGate(QueueWaits metrics) {
        this(metrics, System::nanoTime);
    }

    /** @param ticker the clock of the barge limit, in nanoseconds (tests pass one they move by hand) */
    WriterGate(LongSupplier ticker) {
        this(QueueWaits.NONE, ticker);
    }

    private WriterGate(QueueWaits metrics, LongSupplier ticker) {
        this.metrics = metrics;
        this.ticker = ticker;
    }

    /**
     * @param timeoutMillis how long to wait
     * @param queue the order among waiters
     * @param bargeLimitMicros for {@link WriteQueue#BOUNDED}: how long the head may be overtaken
     * @return whether the gate was entered; on false the caller must not {@link #exit()}
     * @throws InterruptedException when the waiting thread is interrupted (it did not enter)
     */
    public boolean enter(long timeoutMillis, WriteQueue queue, long bargeLimitMicros) throws InterruptedException {
        return enter(timeoutMillis, queue, bargeLimitMicros, System.nanoTime());
    }

    /**
     * {@link #enter(long, WriteQueue, long)} for a writer that queued elsewhere first (a write
     * unit in the {@link GroupCommitQueue}): its wait is recorded once, from {@code queuedSince}.
     *
     * @param queuedSince the {@link System#nanoTime()} the writer started to wait
     */
    public boolean enter(long timeoutMillis, WriteQueue queue, long bargeLimitMicros, long queuedSince)
            throws InterruptedException {
        long queued = queuedSince;
        boolean entered = queueAndEnter(timeoutMillis, queue, bargeLimitMicros);
        metrics.queued(queued, entered);
        return entered;
    }

    private boolean queueAndEnter(long timeoutMillis, WriteQueue queue, long bargeLimitMicros)
            throws InterruptedException {
        Thread me = Thread.currentThread();
        Waiter waiter;
        lock.lock();
        try {
            this.queue = queue;
            this.bargeLimitNanos = bargeLimitMicros * 1_000L;
            if (holder == null && mayTakeFreeGate()) {
                holder = me;
                assert consistent();
                return true;
            }
            if (timeoutMillis <= 0) {
                return false;
            }
            waiter = new Waiter(me);
            if (waiters.isEmpty()) {
                headSince = ticker.getAsLong();
            }
            waiters.addLast(waiter);
            assert consistent();
        } finally {
            lock.unlock();
        }
        return await(waiter, System.nanoTime() + timeoutMillis * 1_000_000L);
    }

    /** Whether a thread that is not the head may take the free gate now. Under the lock. */
    private boolean mayTakeFreeGate() {
        if (waiters.isEmpty()) {
            return true;
        }
        return switch (queue) {
            case FIFO -> false;
            case BOUNDED -> ticker.getAsLong() - headSince < bargeLimitNanos;
            case BARGING -> true;
        };
    }

    private boolean await(Waiter waiter, long deadline) throws InterruptedException {
        for (;;) {
            if (waiter.granted) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (Thread.interrupted()) {
                if (giveUp(waiter)) {
                    Thread.currentThread().interrupt();
                    return true; // granted meanwhile: the caller holds the gate and sees the flag
                }
                throw new InterruptedException();
            }
            if (left <= 0) {
                return giveUp(waiter);
            }
            long park = left;
            lock.lock();
            try {
                if (waiter.granted) {
                    return true;
                }
                if (waiters.peekFirst() == waiter) {
                    if (holder == null) {
                        // The head takes a free gate whatever the queue: nobody waits longer.
                        waiters.pollFirst();
                        holder = waiter.thread;
                        waiter.granted = true;
                        headSince = ticker.getAsLong();
                        assert consistent();
                        return true;
                    }
                    if (queue == WriteQueue.BOUNDED) {
                        // Look again when the limit passes, in case the gate comes free with nobody to hand it over.
                        long untilLimit = headSince + bargeLimitNanos - ticker.getAsLong();
                        if (untilLimit > 0) {
                            park = Math.min(park, untilLimit);
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
            LockSupport.parkNanos(this, park);
        }
    }

    /** @return true when the waiter was granted the gate before it could give up (it holds it) */
    private boolean giveUp(Waiter waiter) {
        Thread wake = null;
        lock.lock();
        try {
            if (waiter.granted) {
                return true;
            }
            boolean wasHead = waiters.peekFirst() == waiter;
            waiters.remove(waiter);
            if (wasHead && !waiters.isEmpty()) {
                headSince = ticker.getAsLong();
                if (holder == null) {
                    wake = waiters.peekFirst().thread; // the gate is free: the new head takes it
                }
            }
            assert consistent();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(wake);
        return false;
    }

    /** Leaves the gate; called exactly once for each successful {@link #enter}, by its owner. */
    public void exit() {
        Thread wake = null;
        lock.lock();
        try {
            assert holder != null : "the writer gate was left without being entered";
            Waiter head = waiters.peekFirst();
            long now = ticker.getAsLong();
            if (head == null) {
                holder = null;
            } else if (queue == WriteQueue.FIFO || queue == WriteQueue.BOUNDED && now - headSince >= bargeLimitNanos) {
                // Hand over: the gate is never free in between, so nobody can overtake the head.
                waiters.pollFirst();
                holder = head.thread;
                head.granted = true;
                headSince = now;
                wake = head.thread;
            } else {
                holder = null;
                if (queue == WriteQueue.BARGING || !head.woken) {
                    head.woken = true;
                    wake = head.thread;
                }
            }
            assert consistent();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(wake);
    }

    /** @return whether the calling thread holds the gate, and so would wait for itself */
    public boolean heldByCurrentThread() {
        return holder == Thread.currentThread();
    }

    /**
     * @return whether a thread that is not waiting would take the gate now if it were free (the
     *         queue's rule at this instant, for tests with their own ticker)
     */
    boolean admitsNewcomer() {
        lock.lock();
        try {
            return mayTakeFreeGate();
        } finally {
            lock.unlock();
        }
    }

    /** @return the threads waiting, for error messages and status */
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** The invariants of the class comment that one look can check. Under the lock. */
    private boolean consistent() {
        java.util.Set<Thread> seen = new java.util.HashSet<>();
        for (Waiter w : waiters) {
            if (w.granted || w.thread == holder || !seen.add(w.thread)) {
                throw new AssertionError("a thread in the writer queue was granted the gate, holds it, or waits twice: " + w.thread);
            }
        }
        return true;
    }
}
