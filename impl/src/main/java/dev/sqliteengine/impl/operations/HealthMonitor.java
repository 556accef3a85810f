package dev.sqliteengine.impl.operations;

import static dev.sqliteengine.api.EngineProperties.*;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineHealth.Finding;
import dev.sqliteengine.api.EngineHealth.Status;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.impl.database.Upkeep;
import dev.sqliteengine.impl.figures.ErrorWindow;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.settings.HealthSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Watches one engine and answers {@link Engine#health()}.
 * <p>
 * Data flows one way: the monitor reads the engine through its public face ({@link Engine#status()},
 * {@link Engine#connections()}) and three suppliers (a status without the WAL figures, whose file
 * read the sampler need not repeat four times a second; the current {@link HealthSettings}; the
 * writer queue's length); the engine only asks it for {@link #health()} and {@link #close()}s it.
 * <p>
 * It runs on the registry's {@link HealthThreads}, shared by every engine: the sampler looks at the
 * pools and the error counter every {@link #TICK_MILLIS} ms, since "waiters for longer than a
 * threshold" and "errors in the last minutes" need a history that one look cannot give, and
 * queues the quick check when it is due; the quick-check thread runs it, since it may read a large
 * file for minutes and sampling must not wait for it. The sampled state ({@link #waitingSince}, {@link #errors}) is used under
 * {@link #lock} only, by the sampler and by callers of {@link #health()}, which sample once too so
 * that their answer is fresh; the quick check's result is an immutable value behind a volatile.
 */
public final class HealthMonitor implements AutoCloseable {

    public static final long TICK_MILLIS = 250;
    private static final long MILLIS = 1_000_000L;

    private final Engine engine;
    private final Supplier<EngineStatus> sample;
    private final Supplier<HealthSettings> settings;
    private final IntSupplier writersWaiting;
    private final HealthThreads threads;
    /** The sampling task, once {@link #start()}ed; cancelled by {@link #close()}. */
    private volatile ScheduledFuture<?> sampling;
    /** Set by {@link #close()}: a quick check queued behind other engines' then does not run. */
    private volatile boolean closed;
    private final QuickCheck quickCheck;
    /** The database type's upkeep: whether the engine watches the database's files at all. */
    private final Upkeep upkeep;
    /** The finding of the engine's streaming replicas, or null when it has none. */
    private final Supplier<Finding> replicas;

    private final Object lock = new Object();
    /** Per pool: since when ({@link System#nanoTime()}) it has had waiters at every sample. */
    private final Map<String, Long> waitingSince = new LinkedHashMap<>();
    private final ErrorWindow errors;
    /** When the latest quick check started, or the monitor did. */
    private long quickCheckStarted;

    /**
     * @param engine the engine: its status and units of work
     * @param sample the engine's status without the figures that cost I/O (the WAL's), for the
     *        sampler: pools, counters, state and path are all it reads
     * @param settings its current health settings
     * @param writersWaiting how many threads wait for the writer gate now
     * @param threads the sampler and quick-check threads, shared with the other engines
     * @param upkeep the database type's consistency check
     * @param replicas the finding of the engine's streaming replicas now, null when it has none
     */
    public HealthMonitor(Engine engine, Supplier<EngineStatus> sample, Supplier<HealthSettings> settings,
            IntSupplier writersWaiting, HealthThreads threads, Upkeep upkeep, Supplier<Finding> replicas) {
        this.replicas = replicas;
        this.engine = engine;
        this.sample = sample;
        this.settings = settings;
        this.writersWaiting = writersWaiting;
        this.quickCheck = new QuickCheck(engine.name(), upkeep);
        this.upkeep = upkeep;
        this.errors = new ErrorWindow(0); // a new engine has had no errors
        this.threads = threads;
    }

    /** Starts watching, once the engine serves: the first quick check is one interval from now. */
    public void start() {
        if (closed) {
            return;
        }
        synchronized (lock) {
            quickCheckStarted = System.nanoTime();
        }
        sampling = threads.every(TICK_MILLIS, this::tick);
    }

    /** Samples, and starts the quick check on the other thread when it is due. */
    private void tick() {
        try {
            EngineStatus status = sample.get();
            HealthSettings health = settings.get();
            long now = System.nanoTime();
            boolean due;
            synchronized (lock) {
                sample(status, health, now);
                due = status.state() == EngineState.RUNNING && health.quickCheckInterval() > 0
                        && upkeep.watchesFiles() && !MEMORY_PATH.equals(status.path())
                        && now - quickCheckStarted >= health.quickCheckInterval() * MILLIS;
                if (due && quickCheck.claim()) {
                    quickCheckStarted = now;
                } else {
                    due = false;
                }
            }
            if (due) {
                try {
                    threads.quickCheck(() -> {
                        if (closed) {
                            quickCheck.unclaim();
                        } else {
                            quickCheck.run(engine.connections(), status.path());
                        }
                    });
                } catch (RejectedExecutionException closing) {
                    quickCheck.unclaim();
                }
            }
        } catch (RuntimeException e) {
            // the engine closed under the sampler, or the executor is shutting down: sample again next time
        }
    }

    /** Under {@link #lock}. */
    private void sample(EngineStatus status, HealthSettings health, long now) {
        assert Thread.holdsLock(lock) : "pools sampled without the monitor's lock";
        for (PoolStatus pool : status.pools()) {
            int waiting = pool.waiting() + (PoolGeneration.WRITER.equals(pool.pool()) ? writersWaiting.getAsInt() : 0);
            if (waiting > 0) {
                waitingSince.putIfAbsent(pool.pool(), now);
            } else {
                waitingSince.remove(pool.pool());
            }
        }
        errors.sample(now, status.errors(), health.errorWindow() * MILLIS);
    }

    /** @return the engine's health now; cheap, runs no SQL */
    public EngineHealth health() {
        EngineStatus status = engine.status();
        HealthSettings health = settings.get();
        List<Finding> findings = new ArrayList<>(7);
        findings.add(state(status));
        findings.add(quickCheck(status, health));
        synchronized (lock) {
            long now = System.nanoTime();
            sample(status, health, now);
            findings.add(saturation(health, now));
            findings.add(errors(health, now));
        }
        findings.add(upkeep.watchesFiles() ? wal(status, health)
                : finding(EngineHealth.WAL, Status.OK, "not watched here: the database server keeps its own write-ahead log"));
        findings.add(status.lastRejection()
                .map(r -> finding(EngineHealth.CONFIGURATION, Status.WARN, "the latest configuration update was rejected: "
                        + withoutName(r)))
                .orElseGet(() -> finding(EngineHealth.CONFIGURATION, Status.OK, "the latest configuration is in effect")));
        Finding replicaFinding = status.state() == EngineState.RUNNING ? replicas.get() : null;
        if (replicaFinding != null) {
            findings.add(replicaFinding);
        }
        return new EngineHealth(engine.name(), Instant.now(), findings);
    }

    private static Finding state(EngineStatus status) {
        return switch (status.state()) {
            case RUNNING -> finding(EngineHealth.STATE, Status.OK, "running");
            case FAILED -> finding(EngineHealth.STATE, Status.CRITICAL, "failed: its database cannot be opened; all work"
                    + " fails until a configuration update opens it again");
            default -> finding(EngineHealth.STATE, Status.CRITICAL, "the engine is "
                    + status.state().name().toLowerCase(java.util.Locale.ROOT) + "; no new work is accepted");
        };
    }

    private Finding quickCheck(EngineStatus status, HealthSettings health) {
        if (!upkeep.watchesFiles()) {
            return finding(EngineHealth.QUICK_CHECK, Status.OK, "not run here: the database server keeps its own files"
                    + " (check them with the server's tools)");
        }
        if (MEMORY_PATH.equals(status.path())) {
            return finding(EngineHealth.QUICK_CHECK, Status.OK, "not run on an in-memory database");
        }
        QuickCheck.Result latest = quickCheck.latest();
        if (latest != null && latest.path().equals(status.path())) {
            return finding(EngineHealth.QUICK_CHECK, latest.status(), latest.message() + " (at " + latest.at() + ")");
        }
        return finding(EngineHealth.QUICK_CHECK, Status.OK, health.quickCheckInterval() == 0
                ? "off (" + HEALTH_QUICK_CHECK_INTERVAL + "=0)"
                : "not run on this file yet; it runs every " + health.quickCheckInterval() + " ms");
    }

    /** Under {@link #lock}. */
    private Finding saturation(HealthSettings health, long now) {
        assert Thread.holdsLock(lock) : "saturation read without the monitor's lock";
        long threshold = health.saturationThreshold();
        if (threshold == 0) {
            return finding(EngineHealth.SATURATION, Status.OK, "off (" + HEALTH_SATURATION_THRESHOLD + "=0)");
        }
        List<String> saturated = new ArrayList<>();
        waitingSince.forEach((pool, since) -> {
            long waited = (now - since) / MILLIS;
            if (waited >= threshold) {
                saturated.add(pool + " has had threads waiting for a connection for " + waited + " ms");
            }
        });
        return saturated.isEmpty()
                ? finding(EngineHealth.SATURATION, Status.OK, "no pool has had waiters for " + threshold + " ms")
                : finding(EngineHealth.SATURATION, Status.WARN, String.join("; ", saturated) + " ("
                        + HEALTH_SATURATION_THRESHOLD + "=" + threshold + "): more work than connections");
    }

    /** Under {@link #lock}. */
    private Finding errors(HealthSettings health, long now) {
        assert Thread.holdsLock(lock) : "errors read without the monitor's lock";
        long window = health.errorWindow();
        if (window == 0) {
            return finding(EngineHealth.ERRORS, Status.OK, "off (" + HEALTH_ERROR_WINDOW + "=0)");
        }
        long count = errors.within(now, window * MILLIS);
        return count == 0
                ? finding(EngineHealth.ERRORS, Status.OK, "no errors in the last " + window + " ms")
                : finding(EngineHealth.ERRORS, Status.WARN, count + " failed unit(s) of work or connection(s) in the last "
                        + window + " ms (" + HEALTH_ERROR_WINDOW + "); the log and ERROR events say why");
    }

    private static Finding wal(EngineStatus status, HealthSettings health) {
        if (MEMORY_PATH.equals(status.path())) {
            return finding(EngineHealth.WAL, Status.OK, "no WAL file: an in-memory database");
        }
        long size;
        try {
            size = Files.size(Path.of(status.path() + "-wal"));
        } catch (NoSuchFileException e) {
            return finding(EngineHealth.WAL, Status.OK, "no WAL file");
        } catch (IOException | RuntimeException e) {
            return finding(EngineHealth.WAL, Status.WARN, "the WAL file's size cannot be read: " + e);
        }
        long limit = health.walWarnSize();
        if (limit == 0) {
            return finding(EngineHealth.WAL, Status.OK, size + " bytes; the check is off (" + HEALTH_WAL_WARN_SIZE + "=0)");
        }
        return size > limit
                ? finding(EngineHealth.WAL, Status.WARN, "the WAL file has " + size + " bytes, more than "
                        + HEALTH_WAL_WARN_SIZE + "=" + limit + ": checkpoints cannot keep up, or a long read holds them back")
                : finding(EngineHealth.WAL, Status.OK, size + " bytes, at most " + limit);
    }

    private static Finding finding(String check, Status status, String message) {
        return new Finding(check, status, message);
    }

    private String withoutName(String message) {
        String prefix = "[" + engine.name() + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** Stops sampling, drops a queued quick check and interrupts one in progress. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> task = sampling;
        if (task != null) {
            task.cancel(false);
        }
        quickCheck.cancel();
    }
}
