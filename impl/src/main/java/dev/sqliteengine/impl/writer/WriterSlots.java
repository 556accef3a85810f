package dev.sqliteengine.impl.writer;

import dev.sqliteengine.impl.settings.WriteQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue in front of a database that lets several writers run at once (PostgreSQL): at most
 * {@link #capacity} writers inside, the others waiting first come, first served.
 * <p>
 * Invariants (held under {@link #lock}, checked by {@link #consistent()} under -ea):
 * <ul>
 * <li>{@link #holders} are the threads inside, each once: a writer that is inside never enters
 * again (callers ask {@link #heldByCurrentThread()} first).</li>
 * <li>Nobody waits while there is room: whenever {@link #waiters} is not empty, the holders fill
 * the capacity. So an exit hands its place straight to the longest waiter (who is inside at once,
 * never outside with a free place in between), and a newcomer never overtakes a waiter.</li>
 * <li>A waiter leaves {@link #waiters} only by being let in, or by giving up; one let in while
 * giving up keeps its place.</li>
 * <li>After {@link #resize} to fewer places, the holders beyond the new capacity finish; nobody
 * new comes in until the holders are below it.</li>
 * </ul>
 * {@code write.queue} orders only the single writer of SQLite ({@link WriterGate}): here every
 * order is first come, first served, since each hand-off goes to a thread that waits anyway.
 * Parking and waking happen outside the lock.
 */
public final class WriterSlots implements WriterQueue {

    /** One thread waiting; {@code granted} is written under the lock and read by its thread without it. */
    private static final class Waiter {
        final Thread thread;
        volatile boolean granted;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Written under the lock; read without it by {@link #heldByCurrentThread()}, for the caller's own thread. */
    private final Set<Thread> holders = ConcurrentHashMap.newKeySet();
    private final QueueWaits metrics;
    /** How many writers may be inside at once; under the lock. */
    private int capacity;

    /**
     * @param writers how many writers may be inside at once, at least 1
     * @param metrics where each writer's wait in the queue, and whether it gave up, is recorded
     */
    public WriterSlots(int writers, QueueWaits metrics) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers: " + writers);
        }
        this.capacity = writers;
        this.metrics = metrics;
    }

    @Override
    public boolean enter(long timeoutMillis, WriteQueue order, long bargeLimitMicros, long queuedSince)
            throws InterruptedException {
        boolean entered = queueAndEnter(timeoutMillis);
        metrics.queued(queuedSince, entered);
        return entered;
    }

    private boolean queueAndEnter(long timeoutMillis) throws InterruptedException {
        Thread me = Thread.currentThread();
        Waiter waiter;
        lock.lock();
        try {
            if (waiters.isEmpty() && holders.size() < capacity) {
                boolean added = holders.add(me);
                assert added : "a writer entered the writer queue twice: " + me;
                assert consistent();
                return true;
            }
            if (timeoutMillis <= 0) {
                return false;
            }
            waiter = new Waiter(me);
            waiters.addLast(waiter);
            assert consistent();
        } finally {
            lock.unlock();
        }
        return await(waiter, System.nanoTime() + timeoutMillis * 1_000_000L);
    }

    private boolean await(Waiter waiter, long deadline) throws InterruptedException {
        for (;;) {
            if (waiter.granted) {
                return true;
            }
            if (Thread.interrupted()) {
                if (giveUp(waiter)) {
                    Thread.currentThread().interrupt();
                    return true; // let in meanwhile: the caller is inside and sees the flag
                }
                throw new InterruptedException();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return giveUp(waiter);
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** @return true when the waiter was let in before it could give up (it is inside) */
    private boolean giveUp(Waiter waiter) {
        lock.lock();
        try {
            if (waiter.granted) {
                return true;
            }
            waiters.remove(waiter);
            assert consistent();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void exit(Thread entrant) {
        List<Thread> wake;
        lock.lock();
        try {
            boolean removed = holders.remove(entrant);
            assert removed : "the writer queue was left for a thread that was not inside: " + entrant;
            wake = letInWhileRoom();
            assert consistent();
        } finally {
            lock.unlock();
        }
        wake.forEach(LockSupport::unpark);
    }

    @Override
    public boolean heldByCurrentThread() {
        return holders.contains(Thread.currentThread());
    }

    @Override
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resize(int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers: " + writers);
        }
        List<Thread> wake;
        lock.lock();
        try {
            capacity = writers;
            wake = letInWhileRoom();
            assert consistent();
        } finally {
            lock.unlock();
        }
        wake.forEach(LockSupport::unpark);
    }

    /** @return how many writers may be inside at once */
    public int capacity() {
        lock.lock();
        try {
            return capacity;
        } finally {
            lock.unlock();
        }
    }

    /** Lets the longest waiters in while there is room. Under the lock; @return the threads to wake */
    private List<Thread> letInWhileRoom() {
        List<Thread> wake = new ArrayList<>(1);
        while (holders.size() < capacity && !waiters.isEmpty()) {
            Waiter next = waiters.pollFirst();
            holders.add(next.thread);
            next.granted = true;
            wake.add(next.thread);
        }
        return wake;
    }

    /** The invariants of the class comment that one look can check. Under the lock. */
    private boolean consistent() {
        if (!waiters.isEmpty() && holders.size() < capacity) {
            throw new AssertionError("writers wait while the writer queue has room: " + holders.size() + " of "
                    + capacity + " inside, " + waiters.size() + " waiting");
        }
        Set<Thread> seen = new java.util.HashSet<>();
        for (Waiter w : waiters) {
            if (w.granted || holders.contains(w.thread) || !seen.add(w.thread)) {
                throw new AssertionError("a thread in the writer queue was let in, is inside, or waits twice: " + w.thread);
            }
        }
        return true;
    }
}
