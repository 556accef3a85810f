package dev.sqliteengine.impl.settings;


/**
 * The waits between the runs of a write unit that failed with a transient code: the configured
 * first wait ({@code write.retryBackoff}), doubled for each further retry, and never more than
 * {@link #MAX_WAIT} for one wait. The same arithmetic decides at configuration time whether all
 * the configured retries fit within {@code write.deadline} ({@link EngineSettings#parse}) and at
 * run time how long to wait ({@code EngineConnectionManager}), so what was accepted is what runs.
 * Sums saturate at {@link Long#MAX_VALUE} instead of overflowing.
 */
public final class RetrySchedule {

    /** The longest single wait between two runs, whatever the doubling gives. */
    static final long MAX_WAIT = 60_000L;

    private RetrySchedule() {}

    /**
     * @param first the wait before the first retry, from 0 to {@link #MAX_WAIT}
     * @param retry 0 for the wait before the first retry, 1 before the second, …
     * @return the wait in milliseconds
     */
    public static long waitBefore(long first, int retry) {
        if (first == 0) {
            return 0;
        }
        // Doubling 16 times already passes MAX_WAIT from 1 ms; stop before a shift could overflow.
        return retry >= 16 ? MAX_WAIT : Math.min(first << retry, MAX_WAIT);
    }

    /** @return the sum of the waits before {@code retries} retries */
    static long total(long first, int retries) {
        long sum = 0;
        for (int retry = 0; retry < retries; retry++) {
            sum += waitBefore(first, retry);
            if (sum < 0) {
                return Long.MAX_VALUE;
            }
        }
        return sum;
    }

    /** @return how many retries' waits fit within {@code budget} ms, at most {@code limit} */
    static int fitting(long first, long budget, int limit) {
        int retries = 0;
        while (retries < limit && total(first, retries + 1) <= budget) {
            retries++;
        }
        return retries;
    }
}
