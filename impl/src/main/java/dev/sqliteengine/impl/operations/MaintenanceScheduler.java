package dev.sqliteengine.impl.operations;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that runs scheduled maintenance and backups for every engine of an
 * {@code EngineRegistry} (one impl bundle, or one {@code EngineFactory} outside OSGi): a daemon
 * thread, started with the first task, so a container with many engines still has one.
 * <p>
 * Tasks run one after another, so one engine's long backup delays another's checkpoint; none of
 * them is urgent, and each holds its engine's writer for at most one slice. A task that throws is
 * the engine's business ({@link EngineMaintenance} catches and reports); here it would cancel
 * every later run of that task silently.
 */
public final class MaintenanceScheduler {

    /** The name of the maintenance thread starts with this. */
    static final String THREAD_PREFIX = "sqlite-engine-maintenance-";

    private final ScheduledThreadPoolExecutor executor;

    /** @param owner names the thread, for thread dumps */
    public MaintenanceScheduler(String owner) {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, THREAD_PREFIX + owner);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setKeepAliveTime(60, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
    }

    /** Runs the task every {@code periodMillis}, first after one period. */
    ScheduledFuture<?> every(long periodMillis, Runnable task) {
        return executor.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** @return the periodic tasks scheduled now, of every engine: what tests check */
    public int scheduledTasks() {
        return executor.getQueue().size();
    }

    /** Stops the thread; tasks still scheduled never run. Engines are closed before this. */
    public void shutdown() {
        executor.shutdownNow();
    }
}
