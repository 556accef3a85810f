package dev.sqliteengine.impl.writer;

import dev.sqliteengine.impl.settings.WriteQueue;

/**
 * The queue in front of an engine's writers, shared across pool generations: a writer enters
 * before it checks a writer connection out and leaves after the connection went back. SQLite has
 * one writer ({@link SoleWriter}, over the {@link WriterGate}); PostgreSQL lets
 * {@code write.connections} of them run at once ({@link WriterSlots}).
 * <p>
 * Not reentrant: a thread that holds the queue must not enter it again (it would wait for
 * itself); callers ask {@link #heldByCurrentThread()} first and refuse at once.
 */
public interface WriterQueue {

    /**
     * @param timeoutMillis how long to wait
     * @param order the order among waiters ({@code write.queue})
     * @param bargeLimitMicros for {@link WriteQueue#BOUNDED} on one writer: how long the first
     *        waiter may be overtaken
     * @return whether the queue was entered; on false the caller must not leave it
     * @throws InterruptedException when the waiting thread is interrupted (it did not enter)
     */
    default boolean enter(long timeoutMillis, WriteQueue order, long bargeLimitMicros) throws InterruptedException {
        return enter(timeoutMillis, order, bargeLimitMicros, System.nanoTime());
    }

    /**
     * {@link #enter(long, WriteQueue, long)} for a writer that queued elsewhere first (a write
     * unit in the {@link GroupCommitQueue}): its wait is recorded once, from {@code queuedSince}.
     *
     * @param queuedSince the {@link System#nanoTime()} the writer started to wait
     */
    boolean enter(long timeoutMillis, WriteQueue order, long bargeLimitMicros, long queuedSince) throws InterruptedException;

    /**
     * Leaves the queue; exactly once for each successful {@link #enter}.
     *
     * @param entrant the thread that entered: a {@code DataSource} transaction may end on another
     *        thread than the one that began it
     */
    void exit(Thread entrant);

    /** Leaves the queue that the calling thread entered. */
    default void exit() {
        exit(Thread.currentThread());
    }

    /** @return whether the calling thread holds a place, and so would wait for itself */
    boolean heldByCurrentThread();

    /** @return the threads waiting, for error messages and status */
    int waiting();

    /**
     * Lets this many writers in at once from now on; writers inside beyond a smaller number
     * finish first. A queue of one writer accepts only 1.
     *
     * @param writers at least 1
     */
    void resize(int writers);
}
