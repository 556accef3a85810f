package dev.sqliteengine.impl.engine;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import dev.sqliteengine.api.EngineEvent;

/**
 * Turns HikariCP's metrics callbacks into engine events: HikariCP calls them on connection
 * creation, checkout and checkin, which is exactly where {@code connected}, {@code checkedOut}
 * and {@code checkedIn} belong, with no proxy of our own around its connections. When nobody
 * listens, each callback costs one volatile read.
 */
final class PoolEvents implements MetricsTrackerFactory {

    private final ListenerSet listeners;

    PoolEvents(ListenerSet listeners) {
        this.listeners = listeners;
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
        return new IMetricsTracker() {
            @Override
            public void recordConnectionCreatedMillis(long millis) {
                if (!listeners.isEmpty()) {
                    listeners.fire(EngineEvent.Type.CONNECT, poolName + " opened a connection in " + millis + " ms", null);
                }
            }

            @Override
            public void recordConnectionAcquiredNanos(long nanos) {
                if (!listeners.isEmpty()) {
                    listeners.fire(EngineEvent.Type.CHECKOUT, poolName, null);
                }
            }

            @Override
            public void recordConnectionUsageMillis(long millis) {
                if (!listeners.isEmpty()) {
                    listeners.fire(EngineEvent.Type.CHECKIN, poolName + " connection used for " + millis + " ms", null);
                }
            }
        };
    }
}
