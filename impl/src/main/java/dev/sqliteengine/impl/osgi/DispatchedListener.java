package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.impl.events.EventDelivery;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whiteboard listener as the engines see it: events are queued here, on the engine's thread, at
 * the cost of one {@code offer}, and delivered to the listener service on a delivery thread. So a
 * listener that is slow, blocks or throws cannot stall or break the work that caused an event;
 * it only falls behind.
 * <ul>
 * <li><b>Order.</b> Events reach the listener one at a time, in the order they were queued: at
 * most one delivery task per listener runs or is queued at a time ({@link #scheduled}).</li>
 * <li><b>Bounded memory.</b> At most {@link #CAPACITY} events wait; when the listener is that far
 * behind, newer events are dropped and counted ({@link #dropped()}), and the first drop is logged
 * at WARN (later ones at DEBUG).</li>
 * <li><b>Bounded time, reported.</b> A call cannot be cut short, but one that takes longer than
 * {@link #SLOW_NANOS} is logged at WARN once; a listener that throws is logged at WARN once,
 * then at DEBUG. A listener stuck for good holds one delivery thread and drops its own events;
 * the engines and the other listeners go on.</li>
 * <li>After {@link #close()} (its last service left), nothing more is delivered and the queue is
 * emptied.</li>
 * </ul>
 */
final class DispatchedListener implements EngineListener {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchedListener.class);

    /** Events that may wait for one listener. */
    static final int CAPACITY = 10_000;
    /** A call longer than this (one second) is reported. */
    static final long SLOW_NANOS = 1_000_000_000L;

    private final EngineListener target;
    private final Executor delivery;
    private final ArrayBlockingQueue<EngineEvent> queue;
    /** True while a delivery task for this listener is queued or running; only its owner resets it. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean warnedDrop = new AtomicBoolean();
    private final AtomicBoolean warnedSlow = new AtomicBoolean();
    private final AtomicBoolean warnedThrow = new AtomicBoolean();
    private volatile boolean closed;

    DispatchedListener(EngineListener target, Executor delivery) {
        this(target, delivery, CAPACITY);
    }

    DispatchedListener(EngineListener target, Executor delivery, int capacity) {
        this.target = target;
        this.delivery = delivery;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** @return the listener service this delivers to */
    EngineListener target() {
        return target;
    }

    /** @return events dropped because the listener was {@link #CAPACITY} events behind */
    long dropped() {
        return dropped.get();
    }

    /** Stops delivery: queued events are dropped, later ones are not queued. */
    void close() {
        closed = true;
        queue.clear();
    }

    private void offer(EngineEvent event) {
        if (closed) {
            return;
        }
        if (!queue.offer(event)) {
            long n = dropped.incrementAndGet();
            if (warnedDrop.compareAndSet(false, true)) {
                LOG.warn("[{}] whiteboard listener {} is {} events behind; its newer events are dropped until it"
                        + " catches up (further drops are logged at DEBUG)", event.engineName(), target, queue.size());
            } else {
                LOG.debug("[{}] whiteboard listener {} dropped event {} ({} in all)", event.engineName(), target,
                        event.type(), n);
            }
            return;
        }
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                delivery.execute(this::drain);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false);
                queue.clear();
            }
        }
    }

    /** Runs on a delivery thread; the only code that takes from the queue. */
    private void drain() {
        assert scheduled.get() : "a whiteboard listener's events were delivered without a scheduled task";
        try {
            EngineEvent event;
            while (!closed && (event = queue.poll()) != null) {
                deliver(event);
            }
        } finally {
            scheduled.set(false);
        }
        // An event queued after the last poll but before the flag was reset found the task
        // still scheduled and did not start one: start it now.
        if (!closed && !queue.isEmpty()) {
            schedule();
        }
    }

    private void deliver(EngineEvent event) {
        long started = System.nanoTime();
        try {
            EventDelivery.deliver(target, event);
        } catch (Exception | LinkageError e) {
            // LinkageError: the listener's bundle may be updated under it
            if (warnedThrow.compareAndSet(false, true)) {
                LOG.warn("[{}] whiteboard listener {} threw on {}; ignored, and its further failures are logged at DEBUG"
                        + " only", event.engineName(), target, event.type(), e);
            } else {
                LOG.debug("[{}] whiteboard listener {} threw on {}; ignored", event.engineName(), target, event.type(), e);
            }
        }
        long took = System.nanoTime() - started;
        if (took > SLOW_NANOS && warnedSlow.compareAndSet(false, true)) {
            LOG.warn("[{}] whiteboard listener {} took {} ms for one {} event; it only delays its own events (this is"
                    + " logged once)", event.engineName(), target, took / 1_000_000, event.type());
        }
    }

    @Override
    public void connected(EngineEvent event) {
        offer(event);
    }

    @Override
    public void checkedOut(EngineEvent event) {
        offer(event);
    }

    @Override
    public void checkedIn(EngineEvent event) {
        offer(event);
    }

    @Override
    public void begun(EngineEvent event) {
        offer(event);
    }

    @Override
    public void committed(EngineEvent event) {
        offer(event);
    }

    @Override
    public void rolledBack(EngineEvent event) {
        offer(event);
    }

    @Override
    public void failed(EngineEvent event) {
        offer(event);
    }

    @Override
    public void reconfigured(EngineEvent event) {
        offer(event);
    }

    @Override
    public void rejected(EngineEvent event) {
        offer(event);
    }

    @Override
    public void closed(EngineEvent event) {
        offer(event);
    }

    @Override
    public String toString() {
        return "whiteboard " + target;
    }
}
