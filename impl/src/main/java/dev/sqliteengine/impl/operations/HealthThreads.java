package dev.sqliteengine.impl.operations;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The two threads that watch the health of every engine of an {@code EngineRegistry}, however many
 * engines run: one samples each engine's pools and error counter a few times a second, the other
 * runs the quick checks one after another. They are apart because a quick check reads a whole
 * file and may take minutes, and sampling must go on meanwhile; quick checks queue behind each
 * other, which is fine for a check that runs once an hour. Both are daemon threads that start with
 * the first task and end after a minute without one.
 */
public final class HealthThreads {

    /** The names of both threads start with this. */
    public static final String THREAD_PREFIX = "sqlite-engine-health-";

    private final ScheduledThreadPoolExecutor sampler;
    private final ThreadPoolExecutor quickChecks;

    /** @param owner names the threads, for thread dumps */
    public HealthThreads(String owner) {
        sampler = new ScheduledThreadPoolExecutor(1, task -> daemon(task, THREAD_PREFIX + "sampler-" + owner));
        sampler.setRemoveOnCancelPolicy(true);
        sampler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        sampler.setKeepAliveTime(60, TimeUnit.SECONDS);
        sampler.allowCoreThreadTimeOut(true);
        quickChecks = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> daemon(task, THREAD_PREFIX + "quick-check-" + owner));
        quickChecks.allowCoreThreadTimeOut(true);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /** Runs {@code task} every {@code periodMillis}, first after one period. */
    ScheduledFuture<?> every(long periodMillis, Runnable task) {
        return sampler.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Queues a quick check behind those of other engines.
     *
     * @throws java.util.concurrent.RejectedExecutionException once {@link #shutdown()} ran
     */
    void quickCheck(Runnable check) {
        quickChecks.execute(check);
    }

    /** @return sampling tasks scheduled now, of every engine: what tests check */
    public int sampledEngines() {
        return sampler.getQueue().size();
    }

    /** Stops both threads and interrupts a running check; engines are closed before this. */
    public void shutdown() {
        sampler.shutdownNow();
        quickChecks.shutdownNow();
    }
}
