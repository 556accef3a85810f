package dev.sqliteengine.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What an engine did in one interval of its {@link EngineHistory}: the counters' growth, the
 * latencies of what ended in it, and the highest queue and pool use seen in it. Immutable.
 *
 * @param at when the interval ended
 * @param intervalMillis how long it was, in milliseconds; more than 0
 * @param commits write transactions committed in the interval
 * @param rollbacks write transactions rolled back in the interval
 * @param errors failed units of work and connections in the interval
 * @param readUnits read units that ended in the interval
 * @param writeUnits write units that ended in the interval, their wait for the writer included
 * @param writerQueueWait how long the writers that got their turn (or gave up) in the interval
 *        waited for it
 * @param writersWaiting the most threads seen waiting for the writer at once
 * @param pools each pool's use, in the order of {@link EngineStatus#pools()}
 * @param walBytes the write-ahead log's size at the interval's end (see
 *        {@link WalFigures#sizeBytes()}); empty for an engine that has no such file to
 *        measure (an in-memory SQLite database, or a database type without one)
 */
public record EngineSample(Instant at, long intervalMillis, long commits, long rollbacks, long errors,
        SampleLatency readUnits, SampleLatency writeUnits, SampleLatency writerQueueWait, int writersWaiting,
        List<PoolSample> pools, OptionalLong walBytes) {

    /** Copies the pools so the sample stays immutable, and checks that nothing is missing. */
    public EngineSample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(readUnits, "readUnits");
        Objects.requireNonNull(writeUnits, "writeUnits");
        Objects.requireNonNull(writerQueueWait, "writerQueueWait");
        Objects.requireNonNull(walBytes, "walBytes");
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("a sample's interval must be more than 0 ms, not " + intervalMillis);
        }
        pools = List.copyOf(pools);
    }

    /** @return commits per second over the interval */
    public double commitsPerSecond() {
        return perSecond(commits);
    }

    /** @return errors per second over the interval */
    public double errorsPerSecond() {
        return perSecond(errors);
    }

    private double perSecond(long count) {
        return count * 1000.0 / intervalMillis;
    }
}
