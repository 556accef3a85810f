package dev.sqliteengine.impl.pool;

import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The background threads of an engine's pool generations, shared by all of them, so that a pool
 * switch starts no thread on its way to publishing the new generation. Left to itself, each
 * HikariCP pool starts its own housekeeping thread, three per generation, and the old generation
 * was closed on a new thread; on a loaded machine each start waits for the new thread to be
 * scheduled (up to 25 ms at p99 measured under 8 threads of load, see BENCHMARKS.md).
 * <ul>
 * <li>{@link #housekeeping()}: HikariCP's scheduler for every pool of the engine (idle timeouts,
 * lifetimes, keepalives, leak detection, filling up to the minimum). HikariCP neither shuts down
 * nor reconfigures a scheduler it is given; it cancels its tasks when a pool closes.</li>
 * <li>{@link #retire}: closes retired generations, one after the other, on one thread that
 * ends after a while without work; a burst of switches hands its retirements to the running
 * thread, without starting another. A generation whose work does not drain holds the ones
 * behind it up to its drain timeout: they are retired already and serve nobody.</li>
 * </ul>
 * {@link #close()} ends both once the engine's last generation is closed; threads are daemons,
 * created on first use.
 */
public final class PoolThreads {

    /** How long the idle closer thread waits for the next retirement before it ends. */
    private static final long CLOSER_KEEP_ALIVE_SECONDS = 2;

    private final String engine;
    private final ScheduledThreadPoolExecutor housekeeping;
    private final ThreadPoolExecutor closer;

    PoolThreads(String engine) {
        this.engine = engine;
        this.housekeeping = new ScheduledThreadPoolExecutor(1, named("sqlite-engine-" + engine + "-housekeeper"),
                new ThreadPoolExecutor.DiscardPolicy());
        // As HikariCP sets up its own: a closed pool's cancelled tasks do not linger in the queue.
        housekeeping.setRemoveOnCancelPolicy(true);
        housekeeping.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.closer = new ThreadPoolExecutor(1, 1, CLOSER_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named("sqlite-engine-" + engine + "-retire"));
        closer.allowCoreThreadTimeOut(true);
    }

    ScheduledExecutorService housekeeping() {
        return housekeeping;
    }

    /**
     * Closes a retired generation in the background. While it runs, its thread is named
     * {@code sqlite-engine-<engine>-retire-<generation>}.
     */
    Future<?> retire(int generation, Runnable close) {
        return closer.submit(() -> {
            Thread self = Thread.currentThread();
            String idle = self.getName();
            self.setName("sqlite-engine-" + engine + "-retire-" + generation);
            try {
                close.run();
            } finally {
                self.setName(idle);
            }
        });
    }

    /** Ends the threads; the caller closed every generation first (their tasks are cancelled then). */
    void close() {
        closer.shutdown();
        housekeeping.shutdownNow();
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, count.getAndIncrement() == 0 ? name : name + "#" + count.get());
            t.setDaemon(true);
            return t;
        };
    }
}
