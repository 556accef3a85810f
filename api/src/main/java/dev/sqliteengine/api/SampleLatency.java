package dev.sqliteengine.api;

/**
 * How long something took within one {@link EngineSample}'s interval: only what ended in that
 * interval counts, so a chart of these shows each moment on its own (unlike
 * {@link LatencyFigures}, whose percentiles slide over the last minute). Times are in
 * nanoseconds, exact to two significant digits (1%).
 *
 * @param count how many ended in the interval
 * @param p50Nanos their median; 0 when {@code count} is 0
 * @param p99Nanos their 99th percentile; 0 when {@code count} is 0
 * @param maxNanos the longest; 0 when {@code count} is 0
 */
public record SampleLatency(long count, long p50Nanos, long p99Nanos, long maxNanos) {

    /** Nothing ended in the interval. */
    public static final SampleLatency NONE = new SampleLatency(0, 0, 0, 0);
}
