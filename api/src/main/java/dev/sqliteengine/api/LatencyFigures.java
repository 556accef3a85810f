package dev.sqliteengine.api;

/**
 * How long something took, as {@link EngineStatus} reports it: percentiles and the maximum over a
 * sliding window of about the last minute, and a count and sum since the engine started (so a
 * monitoring tool can compute rates and means over any period it likes). All times are in
 * nanoseconds; the percentiles and the maximum are exact to two significant digits (1%).
 *
 * @param p50Nanos the median over the window; 0 when the window holds nothing
 * @param p99Nanos the 99th percentile over the window; 0 when the window holds nothing
 * @param maxNanos the longest over the window; 0 when the window holds nothing
 * @param windowCount how many were recorded in the window
 * @param count how many were recorded since the engine started
 * @param totalNanos their summed time since the engine started
 */
public record LatencyFigures(long p50Nanos, long p99Nanos, long maxNanos, long windowCount, long count, long totalNanos) {

    /** Nothing recorded yet. */
    public static final LatencyFigures NONE = new LatencyFigures(0, 0, 0, 0, 0, 0);
}
