package dev.sqliteengine.impl.figures;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineHistory;
import dev.sqliteengine.api.EngineSample;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolSample;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.api.SampleLatency;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * An engine's {@link EngineHistory}: a sample every {@value #FINE_MILLIS} ms into a ring of
 * {@value #FINE_SLOTS} (15 minutes), and every {@value #COARSE_EVERY} of those merged into one
 * sample of a ring of {@value #COARSE_SLOTS} (an hour).
 * <p>
 * It takes no time of the engine's units of work and has no thread of its own: the health
 * sampler hands it the status it reads four times a second ({@link #observe(EngineStatus)}),
 * from which it keeps the peaks of the pools and the writer queue, and at each sample it takes
 * the counters' growth from that status, the latencies recorded since the last sample from the
 * engine's {@link SlidingLatency}s ({@link SlidingLatency#drainInterval}), and the WAL's size from
 * the file system ({@code stat}, no file opened).
 * <p>
 * Invariants: everything but the rings is used under this object's lock, by the sampler and by
 * nobody else; a sample's counts are the growth since the previous sample (the first one's since
 * the engine started, at 0), so the samples of a series add up to the counters; the coarse sample merges exactly
 * the fine samples since the previous coarse one.
 */
public final class HistoryRecorder {

    static final long FINE_MILLIS = 2_000;
    static final int FINE_SLOTS = 450;
    static final int COARSE_EVERY = 10;
    static final int COARSE_SLOTS = 180;
    private static final long FINE_NANOS = FINE_MILLIS * 1_000_000L;
    private static final Duration CHECKPOINTS_KEPT = Duration.ofMillis(FINE_MILLIS * COARSE_EVERY * COARSE_SLOTS);

    private final String engine;
    private final SlidingLatency readUnits;
    private final SlidingLatency writeUnits;
    private final SlidingLatency queueWait;
    private final BoundedRing<EngineSample> recent = new BoundedRing<>(FINE_SLOTS);
    private final BoundedRing<EngineSample> hour = new BoundedRing<>(COARSE_SLOTS);
    /** At most one per fine sample, so an hour's worth fits. */
    private final BoundedRing<CheckpointFigures> checkpoints = new BoundedRing<>(COARSE_EVERY * COARSE_SLOTS);

    // Guarded by this
    private long intervalStart;
    private long commits;
    private long rollbacks;
    private long errors;
    private int writersWaiting;
    /** Per pool, in the status's order: the highest active and waiting seen in the open interval. */
    private final Map<String, int[]> poolPeaks = new LinkedHashMap<>();
    private final Histogram read = new Histogram(SlidingLatency.DIGITS);
    private final Histogram write = new Histogram(SlidingLatency.DIGITS);
    private final Histogram queue = new Histogram(SlidingLatency.DIGITS);
    private final Histogram hourRead = new Histogram(SlidingLatency.DIGITS);
    private final Histogram hourWrite = new Histogram(SlidingLatency.DIGITS);
    private final Histogram hourQueue = new Histogram(SlidingLatency.DIGITS);
    private final List<EngineSample> hourPending = new ArrayList<>(COARSE_EVERY);
    private CheckpointFigures checkpointSeen;
    private final Supplier<Path> walFile;

    /**
     * A history from now on, as a new engine starts it: its counters are 0.
     *
     * @param walFile the database's write-ahead log now ({@code DatabasePlace.walFile()}), or null
     *        when it keeps none: its size is sampled with one {@code stat}, no file opened
     */
    public HistoryRecorder(String engine, SlidingLatency readUnits, SlidingLatency writeUnits, SlidingLatency queueWait,
            Supplier<Path> walFile) {
        this(engine, readUnits, writeUnits, queueWait, walFile, System.nanoTime());
    }

    /** @param startNanos the {@link System#nanoTime()} the first interval starts at (tests move time themselves) */
    HistoryRecorder(String engine, SlidingLatency readUnits, SlidingLatency writeUnits, SlidingLatency queueWait,
            Supplier<Path> walFile, long startNanos) {
        this.engine = engine;
        this.walFile = walFile;
        this.readUnits = readUnits;
        this.writeUnits = writeUnits;
        this.queueWait = queueWait;
        this.intervalStart = startNanos;
    }

    /**
     * Looks at one status of the health sampler's, and takes a sample when one is due.
     *
     * @return the same status, so the sampler's supplier can pass it on
     */
    public EngineStatus observe(EngineStatus status) {
        observe(status, System.nanoTime(), Instant.now());
        return status;
    }

    /**
     * @param nowNanos {@link System#nanoTime()} now, which times the intervals
     * @param now the wall-clock time now, which stamps the samples
     */
    synchronized void observe(EngineStatus status, long nowNanos, Instant now) {
        writersWaiting = Math.max(writersWaiting, status.writerQueue().waiting());
        for (PoolStatus pool : status.pools()) {
            int[] peak = poolPeaks.computeIfAbsent(pool.pool(), p -> new int[2]);
            peak[0] = Math.max(peak[0], pool.active());
            peak[1] = Math.max(peak[1], pool.waiting());
        }
        status.wal().lastCheckpoint().ifPresent(this::checkpointed);
        if (nowNanos - intervalStart >= FINE_NANOS) {
            sample(status, nowNanos, now);
        }
    }

    private void checkpointed(CheckpointFigures checkpoint) {
        assert Thread.holdsLock(this);
        if (!checkpoint.equals(checkpointSeen)) {
            checkpointSeen = checkpoint;
            checkpoints.add(checkpoint);
        }
    }

    private void sample(EngineStatus status, long nowNanos, Instant now) {
        assert Thread.holdsLock(this) : "sampled without the recorder's lock";
        long millis = Math.max(1, (nowNanos - intervalStart) / 1_000_000L);
        List<PoolSample> pools = new ArrayList<>(status.pools().size());
        for (PoolStatus pool : status.pools()) {
            int[] peak = poolPeaks.getOrDefault(pool.pool(), new int[2]);
            pools.add(new PoolSample(pool.pool(), Math.max(peak[0], pool.active()), Math.max(peak[1], pool.waiting()),
                    pool.max()));
        }
        EngineSample sample = new EngineSample(now, millis, status.commits() - commits, status.rollbacks() - rollbacks,
                status.errors() - errors, drain(readUnits, read, hourRead), drain(writeUnits, write, hourWrite),
                drain(queueWait, queue, hourQueue), Math.max(writersWaiting, status.writerQueue().waiting()), pools,
                walBytes(walFile.get()));
        recent.add(sample);
        hourPending.add(sample);
        if (hourPending.size() == COARSE_EVERY) {
            hour.add(merged());
        }
        startInterval(status, nowNanos);
    }

    /** Starts the next interval at the status's counters. */
    private void startInterval(EngineStatus status, long nowNanos) {
        assert Thread.holdsLock(this);
        intervalStart = nowNanos;
        commits = status.commits();
        rollbacks = status.rollbacks();
        errors = status.errors();
        writersWaiting = 0;
        poolPeaks.clear();
    }

    /** @return the interval's figures of one latency, which also go into the coarse sample's */
    private static SampleLatency drain(SlidingLatency latency, Histogram interval, Histogram coarse) {
        interval.reset();
        latency.drainInterval(interval);
        coarse.add(interval);
        return figures(interval);
    }

    private static SampleLatency figures(Histogram values) {
        long count = values.getTotalCount();
        return count == 0 ? SampleLatency.NONE
                : new SampleLatency(count, values.getValueAtPercentile(50), values.getValueAtPercentile(99), values.getMaxValue());
    }

    /** @return the coarse sample of the pending fine ones, which it consumes */
    private EngineSample merged() {
        assert Thread.holdsLock(this);
        EngineSample last = hourPending.get(hourPending.size() - 1);
        long millis = 0;
        long commitCount = 0;
        long rollbackCount = 0;
        long errorCount = 0;
        int writers = 0;
        Map<String, PoolSample> pools = new LinkedHashMap<>();
        for (EngineSample s : hourPending) {
            millis += s.intervalMillis();
            commitCount += s.commits();
            rollbackCount += s.rollbacks();
            errorCount += s.errors();
            writers = Math.max(writers, s.writersWaiting());
            for (PoolSample p : s.pools()) {
                pools.merge(p.pool(), p, (a, b) -> new PoolSample(a.pool(), Math.max(a.active(), b.active()),
                        Math.max(a.waiting(), b.waiting()), b.max()));
            }
        }
        EngineSample merged = new EngineSample(last.at(), millis, commitCount, rollbackCount, errorCount, figures(hourRead),
                figures(hourWrite), figures(hourQueue), writers, List.copyOf(pools.values()), last.walBytes());
        hourPending.clear();
        hourRead.reset();
        hourWrite.reset();
        hourQueue.reset();
        return merged;
    }

    /** @return the write-ahead log's size; 0 when the file is not there, empty when the database keeps none or it cannot be read */
    private static OptionalLong walBytes(Path wal) {
        if (wal == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Files.size(wal));
        } catch (NoSuchFileException e) {
            return OptionalLong.of(0);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** @return the history so far; the checkpoints of the last hour only */
    public EngineHistory history() {
        Instant since = Instant.now().minus(CHECKPOINTS_KEPT);
        return new EngineHistory(engine, recent.list(), hour.list(),
                checkpoints.list().stream().filter(c -> !c.time().isBefore(since)).toList());
    }
}
