package dev.sqliteengine.impl.figures;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;

/**
 * Checkout wait, connection usage and checkout timeouts of an engine's writer and reader pools, as HikariCP
 * measures them. HikariCP reads the clock twice more per checkout when it has a tracker; the
 * recordings themselves read no clock (see {@link SlidingLatency}), since on a virtual machine a
 * clock read can cost more than the rest of a checkout. One tracker
 * serves those pools of every generation, so the figures go on across pool switches.
 */
public final class PoolMetrics implements MetricsTrackerFactory {

    private final Tracker tracker;

    PoolMetrics(EngineMetrics metrics) {
        this.tracker = new Tracker(metrics);
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
        return tracker;
    }

    private static final class Tracker implements IMetricsTracker {

        private final EngineMetrics metrics;

        Tracker(EngineMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
            metrics.checkoutWait.record(elapsedAcquiredNanos);
        }

        @Override
        public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
            metrics.connectionUsage.record(elapsedBorrowedMillis * 1_000_000L);
        }

        @Override
        public void recordConnectionTimeout() {
            metrics.timeouts.increment();
        }

        @Override
        public void close() {
            // shared by the engine's pools: a pool that closes leaves it to the others
        }
    }
}
