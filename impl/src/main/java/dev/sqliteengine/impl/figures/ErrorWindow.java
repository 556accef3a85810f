package dev.sqliteengine.impl.figures;

import java.util.ArrayDeque;

/**
 * How many errors an engine had within a sliding window, from samples of its ever-growing error
 * counter. Not thread safe: {@code HealthMonitor} uses it under its lock.
 * <p>
 * Memory stays bounded whatever the error rate: a sample taken within {@link #SLOTS}th of the
 * window after the newest kept one is merged into it, so at most about {@code SLOTS} samples are
 * kept, and an error leaves the window up to {@code window / SLOTS} early.
 */
public final class ErrorWindow {

    static final int SLOTS = 64;

    /** {time in nanoseconds, counter after the change}, oldest first; only changes are kept. */
    private final ArrayDeque<long[]> changes = new ArrayDeque<>();
    /** The counter before the oldest kept change: what errors in the window are counted from. */
    private long baseline;
    private long latest;

    /** @param counter the error counter when watching starts: earlier errors never count */
    public ErrorWindow(long counter) {
        this.baseline = counter;
        this.latest = counter;
    }

    /**
     * @param now the time, {@link System#nanoTime()}
     * @param counter the error counter now
     * @param windowNanos the window
     */
    public void sample(long now, long counter, long windowNanos) {
        forgetBefore(now, windowNanos);
        if (counter == latest) {
            return;
        }
        latest = counter;
        long[] newest = changes.peekLast();
        if (newest != null && now - newest[0] < windowNanos / SLOTS) {
            newest[1] = counter;
        } else {
            changes.addLast(new long[] {now, counter});
        }
    }

    /** @return how many samples are kept: at most about {@link #SLOTS} */
    int kept() {
        return changes.size();
    }

    /**
     * @param now the time, {@link System#nanoTime()}
     * @param windowNanos how far back to count
     * @return the errors sampled within the last {@code windowNanos}
     */
    public long within(long now, long windowNanos) {
        forgetBefore(now, windowNanos);
        return latest - baseline;
    }

    private void forgetBefore(long now, long windowNanos) {
        while (!changes.isEmpty() && now - changes.peekFirst()[0] >= windowNanos) {
            baseline = changes.pollFirst()[1];
        }
    }
}
