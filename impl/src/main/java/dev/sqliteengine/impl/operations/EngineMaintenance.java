package dev.sqliteengine.impl.operations;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.Upkeep;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.MaintenanceSettings;
import dev.sqliteengine.impl.transactions.EngineCore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine's scheduled maintenance on the shared {@link MaintenanceScheduler}: passive
 * checkpoints, a TRUNCATE checkpoint once the engine is idle, {@code PRAGMA optimize},
 * incremental vacuum, and scheduled backups ({@link ScheduledBackups}).
 * <p>
 * Every step that needs the writer is one {@link WriterSlice}: it queues for the writer like any
 * writer and holds it for at most {@code maintenance.slice}. Incremental vacuum runs in as many
 * slices as it takes, leaving the writer between them; its pages per slice adapt so that one
 * slice stays under the limit. None of it runs on a read-only or in-memory engine (backups do);
 * the checkpoints only in WAL mode.
 * <p>
 * Thread safety: {@link #schedule} and {@link #cancel} are synchronized (the engine calls them
 * under its lifecycle lock); the tasks run on the scheduler's one thread, so the idle tracking
 * fields are only touched there.
 */
public final class EngineMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(EngineMaintenance.class);
    private static final int MAX_VACUUM_PAGES = 1 << 16;

    private final EngineCore engine;
    private final MaintenanceScheduler scheduler;
    private final ScheduledBackups backups;
    /** Guarded by this. */
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    /** Held while a task of this engine runs, so that close can wait for it (bounded). */
    private final java.util.concurrent.locks.ReentrantLock running = new java.util.concurrent.locks.ReentrantLock();
    /** What the tasks were scheduled for; guarded by this. */
    private EngineSettings scheduled;

    // Idle tracking, scheduler thread only: what the WAL and the commit count were at the last look.
    private long seenCommits = -1;
    private long seenWalSize = -1;
    private FileTime seenWalTime;
    private int vacuumPages = 64;

    /** @param units the engine's units of work, which backups read through */
    public EngineMaintenance(EngineCore engine, ConnectionManager units, MaintenanceScheduler scheduler, Path allowedRoot) {
        this.engine = engine;
        this.scheduler = scheduler;
        this.backups = new ScheduledBackups(engine, units, allowedRoot);
    }

    /** (Re)schedules the tasks for these settings; nothing changes when they are the same. */
    public synchronized void schedule(EngineSettings settings) {
        Upkeep upkeep = engine.type().upkeep();
        if (scheduled != null && scheduled.maintenance().equals(settings.maintenance())
                && upkeep.maintains(scheduled) == upkeep.maintains(settings)
                && upkeep.checkpoints(scheduled) == upkeep.checkpoints(settings)) {
            return;
        }
        cancel();
        scheduled = settings;
        MaintenanceSettings m = settings.maintenance();
        if (m.backupInterval() > 0) {
            tasks.add(scheduler.every(m.backupInterval(), () -> guarded("a scheduled backup", backups::take)));
        }
        if (!upkeep.maintains(settings)) {
            return; // nothing to checkpoint, optimize or vacuum that is ours to write
        }
        boolean wal = upkeep.checkpoints(settings);
        if (wal && m.checkpointInterval() > 0) {
            tasks.add(scheduler.every(m.checkpointInterval(), () -> guarded("a passive checkpoint", this::checkpoint)));
        }
        if (wal && m.idleTruncateAfter() > 0) {
            tasks.add(scheduler.every(m.idleTruncateAfter(), () -> guarded("truncating the WAL", this::truncateIfIdle)));
        }
        if (m.optimizeInterval() > 0) {
            tasks.add(scheduler.every(m.optimizeInterval(), () -> guarded("PRAGMA optimize", () -> optimize(waitForWriter()))));
        }
        if (m.vacuumInterval() > 0) {
            tasks.add(scheduler.every(m.vacuumInterval(), () -> guarded("incremental vacuum", this::vacuum)));
        }
    }

    /** Stops every task; one running now finishes its slice (its writer wait is bounded too). */
    public synchronized void cancel() {
        tasks.forEach(t -> t.cancel(false));
        tasks.clear();
        scheduled = null;
    }

    /**
     * Waits until a task of this engine that is running now has finished, at most
     * {@code millis}: close calls it after {@link #cancel}, so that no backup or step of this
     * engine goes on after it closed. A task never waits for the caller (it takes neither the
     * lifecycle lock nor anything close holds), so this cannot deadlock; past the bound, close
     * goes on and the task fails against the closed engine.
     *
     * @return whether no task was running any more
     */
    public boolean awaitIdle(long millis) {
        try {
            if (running.tryLock(millis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                running.unlock();
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code PRAGMA optimize} once more, as the engine closes, if it is on; bounded by one slice. */
    public void optimizeOnClose(EngineSettings settings) {
        if (settings.maintenance().optimizeInterval() > 0 && engine.type().upkeep().maintains(settings)) {
            // Close waits for the writer one slice at most, not a whole connection timeout.
            // Not under the task lock: a task that outlived awaitIdle must not hold up close.
            attempt("PRAGMA optimize on close", () -> optimize(settings.maintenance().slice()));
        }
    }

    private interface Step {
        void run() throws SQLException;
    }

    /** Runs a scheduled task under {@link #running}. */
    private void guarded(String what, Step step) {
        running.lock();
        try {
            attempt(what, step);
        } finally {
            running.unlock();
        }
    }

    /** A task never throws: that would cancel its later runs. A closing or failed engine is no news. */
    private void attempt(String what, Step step) {
        try {
            step.run();
        } catch (ConnectionException e) {
            LOG.debug("[{}] {} skipped: {}", engine.name(), what, e.getMessage());
        } catch (SQLException | RuntimeException e) {
            String message = "[" + engine.name() + "] maintenance: " + what + " failed: " + e.getMessage();
            LOG.warn(message);
            engine.listeners().fire(EngineEvent.Type.ERROR, message,
                    e instanceof EngineException ee ? ee : new EngineException(engine.name(), message, engine.errors().code(e), e));
        }
    }

    private MaintenanceSettings settings() {
        return engine.settings().maintenance();
    }

    private long waitForWriter() {
        return engine.settings().connectionTimeout();
    }

    void checkpoint() throws SQLException {
        WriterSlice.run(engine, waitForWriter(), settings().slice(), c -> recorded(c, "PASSIVE").completed());
    }

    /**
     * Truncates the WAL when nothing was written since the last look, one period ago: the commit
     * count and the WAL's size and time are unchanged (the last also catches writes through the
     * DataSource). An empty WAL is left alone.
     */
    void truncateIfIdle() throws SQLException {
        assert onSchedulerThread() : "idle tracking is confined to the maintenance thread";
        Path wal = engine.current().latest().place().walFile();
        if (wal == null) {
            return;
        }
        long commits = engine.metrics().commits.sum();
        long size;
        FileTime time;
        try {
            size = Files.size(wal);
            time = Files.getLastModifiedTime(wal);
        } catch (IOException e) {
            return; // no WAL: nothing to truncate
        }
        boolean idle = commits == seenCommits && size == seenWalSize && time.equals(seenWalTime);
        seenCommits = commits;
        seenWalSize = size;
        seenWalTime = time;
        if (!idle || size == 0) {
            return;
        }
        Boolean done = WriterSlice.run(engine, waitForWriter(), settings().slice(), c -> recorded(c, "TRUNCATE").completed());
        if (Boolean.FALSE.equals(done)) {
            LOG.debug("[{}] the WAL could not be truncated within one slice: a reader still needs it", engine.name());
            seenWalSize = -1; // try again at the next look
        }
    }

    void optimize(long waitMillis) throws SQLException {
        WriterSlice.run(engine, waitMillis, settings().slice(), c -> {
            engine.type().upkeep().optimize(c, true);
            return null;
        });
    }

    /**
     * Gives free pages back in slices until none are left, the writer stays busy, or the engine
     * closes. The pages per slice double while a slice takes less than half the limit and halve
     * when one takes longer than it.
     */
    void vacuum() throws SQLException {
        assert onSchedulerThread() : "vacuumPages is confined to the maintenance thread";
        long slice = settings().slice();
        while (true) {
            int pages = vacuumPages;
            long[] took = new long[1]; // ms the vacuum itself held the writer, queueing not counted
            Long left = WriterSlice.run(engine, waitForWriter(), slice, c -> {
                long t0 = System.nanoTime();
                long free = engine.type().upkeep().vacuumStep(c, pages);
                took[0] = (System.nanoTime() - t0) / 1_000_000;
                return free;
            });
            if (left == null || left == 0) {
                return;
            }
            if (took[0] < slice / 2 && pages < MAX_VACUUM_PAGES) {
                vacuumPages = pages * 2;
            } else if (took[0] > slice && pages > 1) {
                vacuumPages = pages / 2;
            }
        }
    }

    private static boolean onSchedulerThread() {
        return Thread.currentThread().getName().startsWith(MaintenanceScheduler.THREAD_PREFIX);
    }

    /** Runs a checkpoint and records it as the engine's last one. */
    private CheckpointFigures recorded(java.sql.Connection c, String mode) throws SQLException {
        CheckpointFigures done = engine.type().upkeep().checkpoint(c, mode);
        engine.metrics().lastCheckpoint = done;
        return done;
    }
}
