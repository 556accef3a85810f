package dev.sqliteengine.impl.figures;

import dev.sqliteengine.api.LatencyFigures;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One latency figure: percentiles over a sliding window of about a minute, and a count and sum
 * since the engine started.
 * <p>
 * Recording is HdrHistogram's {@link Recorder}: wait-free for any number of threads, with
 * auto-resizing histograms, so an engine only pays memory for the range of values it sees. The
 * window is {@value #SLOTS} slots of {@value #SLOT_SECONDS} s; the recorder's interval histogram is
 * taken into the open slot whenever someone reads, and the open slot is closed once it is
 * {@value #SLOT_SECONDS} s old, by the first reading after that, or by the first recording that
 * knows the time ({@link #recordSince}).
 * <p>
 * Reading the clock costs more than recording a value on a busy virtual machine, so
 * {@link #record(long)} (HikariCP's checkout and usage times, which come without a time) does not
 * read it. A figure fed only that way closes its slots when read, and stamps a closed slot with
 * the time it closed: its values stay in the window at least a minute, and at most a minute after
 * the next reading. A figure fed by {@link #recordSince} closes its slots on time and stamps
 * them with the time they were due, so an idle gap does not make old values look fresh.
 * <p>
 * Invariants, held under this object's lock: {@link #closed} holds at most {@value #SLOTS} - 1
 * slots, each stamped in {@link #closedAt}; a closed slot is counted while it ended less than the
 * window ago; a value is never counted for less than a minute. The totals are adders outside the
 * lock, added to before the recorder, so the window never holds more than the count (asserted).
 */
public final class SlidingLatency {

    static final int SLOT_SECONDS = 10;
    static final int SLOTS = 6;
    private static final long SLOT_NANOS = SLOT_SECONDS * 1_000_000_000L;
    private static final long WINDOW_NANOS = SLOTS * SLOT_NANOS;
    /** 1% precision: plenty for p50/p99, and small histograms. */
    static final int DIGITS = 2;

    private final Recorder recorder = new Recorder(DIGITS);
    private final LongAdder count = new LongAdder();
    private final LongAdder total = new LongAdder();
    /** When the open slot must close; read without the lock on every recording. */
    private volatile long rotateAt;
    /** Whether some recording passed the time: then slots close on time, see the class comment. */
    private volatile boolean timedByRecords;

    // Guarded by this
    private final Histogram open = new Histogram(DIGITS);
    private long openedAt;
    private final Histogram[] closed = new Histogram[SLOTS - 1];
    private final long[] closedAt = new long[SLOTS - 1];
    private int newest = -1;
    private Histogram spare;
    /** What was recorded since the last {@link #drainInterval}, for the engine's history. */
    private final Histogram interval = new Histogram(DIGITS);

    SlidingLatency() {
        this(System.nanoTime());
    }

    /** @param now the {@link System#nanoTime()} the first slot opens at (tests move time themselves) */
    SlidingLatency(long now) {
        openedAt = now;
        rotateAt = now + SLOT_NANOS;
    }

    /** Records the time from {@code startNanos} ({@link System#nanoTime()}) to now. */
    public void recordSince(long startNanos) {
        long now = System.nanoTime();
        record(now - startNanos, now);
    }

    /**
     * @param nanos how long it took; a negative value (a clock that stepped) counts as 0
     * @param now the current {@link System#nanoTime()}
     */
    void record(long nanos, long now) {
        record(nanos, now, 1);
    }

    /**
     * Records a sampled value: one of {@code weight} that happened alike, so that the percentiles
     * and totals stay unbiased estimates.
     */
    void record(long nanos, long now, int weight) {
        if (!timedByRecords) {
            timedByRecords = true;
        }
        if (now - rotateAt >= 0) {
            rotate(now);
        }
        add(nanos, weight);
    }

    /** Records a value without reading the clock; see the class comment. */
    void record(long nanos) {
        add(nanos, 1);
    }

    private void add(long nanos, int weight) {
        long value = Math.max(0, nanos);
        // Counted before it is recorded, so no window ever holds more than the count since the start
        count.add(weight);
        total.add(value * weight);
        recorder.recordValueWithCount(value, weight);
    }

    public LatencyFigures figures() {
        return figures(System.nanoTime());
    }

    synchronized LatencyFigures figures(long now) {
        rotate(now);
        takeRecorded();
        Histogram window = open.copy();
        for (int i = 0; i < closed.length; i++) {
            if (closed[i] != null && now - closedAt[i] < WINDOW_NANOS) {
                window.add(closed[i]);
            }
        }
        assert window.getTotalCount() <= count.sum() : "the window holds " + window.getTotalCount()
                + " values, more than the " + count.sum() + " recorded since the start";
        if (window.getTotalCount() == 0) {
            return new LatencyFigures(0, 0, 0, 0, count.sum(), total.sum());
        }
        return new LatencyFigures(window.getValueAtPercentile(50), window.getValueAtPercentile(99),
                window.getMaxValue(), window.getTotalCount(), count.sum(), total.sum());
    }

    /**
     * Adds what was recorded since the last call to {@code into} and starts the next interval:
     * the engine's history takes each interval's percentiles from it. It reads no clock and
     * closes no slot.
     *
     * @param into an auto-resizing histogram of the same precision
     */
    synchronized void drainInterval(Histogram into) {
        takeRecorded();
        into.add(interval);
        interval.reset();
    }

    /** Moves the recorder's values into the open slot and into the history's interval. Under this object's lock. */
    private void takeRecorded() {
        assert Thread.holdsLock(this) : "recorded values taken without the lock";
        spare = recorder.getIntervalHistogram(spare);
        open.add(spare);
        interval.add(spare);
    }

    /** Closes the open slot if it is due, and opens the next one. */
    private synchronized void rotate(long now) {
        if (now - rotateAt < 0) {
            return;
        }
        takeRecorded();
        newest = (newest + 1) % closed.length;
        if (closed[newest] == null) {
            closed[newest] = new Histogram(DIGITS);
        }
        closed[newest].reset();
        closed[newest].add(open);
        // Timed by its recordings, it holds values up to when it was due, however late it closes:
        // an engine idle for an hour does not show its last busy minute as fresh.
        closedAt[newest] = timedByRecords ? Math.min(now, openedAt + SLOT_NANOS) : now;
        open.reset();
        openedAt = now;
        rotateAt = now + SLOT_NANOS;
    }
}
