package dev.sqliteengine.impl.writer;

import dev.sqliteengine.impl.settings.WriteQueue;

/**
 * The queue of a database that lets one writer at a time (SQLite): the {@link WriterGate} and
 * its orders ({@code fifo}, {@code bounded} barging, {@code barging}). The gate does not need
 * to know who leaves: there is only ever one writer inside.
 */
public final class SoleWriter implements WriterQueue {

    private final WriterGate gate;

    /** @param metrics where each writer's wait in the queue, and whether it gave up, is recorded */
    public SoleWriter(QueueWaits metrics) {
        this.gate = new WriterGate(metrics);
    }

    @Override
    public boolean enter(long timeoutMillis, WriteQueue order, long bargeLimitMicros, long queuedSince)
            throws InterruptedException {
        return gate.enter(timeoutMillis, order, bargeLimitMicros, queuedSince);
    }

    @Override
    public void exit(Thread entrant) {
        gate.exit();
    }

    @Override
    public boolean heldByCurrentThread() {
        return gate.heldByCurrentThread();
    }

    @Override
    public int waiting() {
        return gate.waiting();
    }

    /** @throws IllegalArgumentException for anything but 1: the database has one writer */
    @Override
    public void resize(int writers) {
        if (writers != 1) {
            throw new IllegalArgumentException("a database with one writer cannot let " + writers + " in at once");
        }
    }
}
