package dev.sqliteengine.impl.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.database.Replication;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.replicas.ReplicaPool;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The whole mapping from an engine's settings to the HikariCP pools of one generation, grouped as
 * sizes and timeouts: the writers (one on SQLite, {@code write.connections} on PostgreSQL), the
 * readers (which refuse writes), the {@code DataSource}'s pool, and one pool per streaming replica
 * (sized as the readers). The physical connections come from the database type
 * ({@link DatabasePlace#driver}), through an {@link ObservedDataSource} that runs the connection
 * setup hooks.
 */
final class GenerationPools {

    /** The longest a read waits for a connection of a replica before it runs on the primary. */
    static final long REPLICA_CHECKOUT_MILLIS = 1_000;

    private final int number;
    private final EngineSettings settings;
    private final ConnectionSetups setups;
    private final DatabaseType type;
    private final DatabasePlace place;
    private final ListenerSet events;
    private final MetricsTrackerFactory metrics;
    private final ScheduledExecutorService housekeeping;

    GenerationPools(int number, EngineSettings settings, ConnectionSetups setups, DatabaseType type, DatabasePlace place,
            ListenerSet events, MetricsTrackerFactory metrics, ScheduledExecutorService housekeeping) {
        this.number = number;
        this.settings = settings;
        this.setups = setups;
        this.type = type;
        this.place = place;
        this.events = events;
        this.metrics = metrics;
        this.housekeeping = housekeeping;
    }

    /**
     * Opens one pool, with its first connection (fail fast), and adds it to {@code opened}.
     *
     * @throws ConnectionException when the database cannot be opened, with the type's error code
     */
    HikariDataSource open(List<HikariDataSource> opened, ConnectionRole role) {
        HikariConfig config = config(role, place.driver(settings, role), PoolGeneration.poolName(role));
        try {
            HikariDataSource pool = new HikariDataSource(config);
            opened.add(pool);
            return pool;
        } catch (HikariPool.PoolInitializationException e) {
            throw failedToOpen(e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * Opens the pool of one streaming replica without connecting, so that a replica that is down
     * keeps neither the engine from opening nor a switch from finishing; its probe finds out
     * whether it serves ({@link ReplicaPool}). Sized as the readers; a checkout waits at most
     * {@value #REPLICA_CHECKOUT_MILLIS} ms, then the read runs on the primary.
     *
     * @param index the replica's index in {@code replicas}
     */
    ReplicaPool openReplica(int index) {
        Replication replication = type.replication();
        String name = "replica-" + (index + 1);
        HikariConfig config = config(ConnectionRole.READER, replication.driver(settings, index), name);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(replicaCheckoutTimeout(settings));
        return new ReplicaPool(settings.name(), name, settings.replicas().urls().get(index), new HikariDataSource(config),
                replication.driver(settings, index), replication, housekeeping);
    }

    /** @return how long a read waits for a connection of a replica before it runs on the primary */
    static long replicaCheckoutTimeout(EngineSettings settings) {
        return Math.min(settings.connectionTimeout(), REPLICA_CHECKOUT_MILLIS);
    }

    private HikariConfig config(ConnectionRole role, javax.sql.DataSource driver, String pool) {
        String poolName = "sqlite-engine-" + settings.name() + "#" + number + "-" + pool;
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setDataSource(new ObservedDataSource(driver, events, poolName, settings.name(),
                role, setups, type.transactions()));
        config.setAutoCommit(true);
        // HikariCP resets the flag on every connection; some drivers (sqlite-jdbc) refuse to change it once open.
        config.setReadOnly(settings.readOnly());
        config.setInitializationFailTimeout(1);
        if (role != ConnectionRole.DATA_SOURCE) {
            // HikariCP times the units' checkouts for the figures; the DataSource's are sampled
            // by the engine (EngineMetrics.CLIENT_SAMPLE), as HikariCP's clock reads cost too much there
            config.setMetricsTrackerFactory(metrics);
        }
        config.setScheduledExecutor(housekeeping);
        // Sizes
        switch (role) {
            case WRITER -> {
                config.setMaximumPoolSize(settings.writeConnections());
                config.setMinimumIdle(1);
            }
            case READER -> {
                config.setMaximumPoolSize(settings.maxConnections());
                config.setMinimumIdle(settings.minConnections());
                // A read unit that tries to write fails (SQLite: SQLITE_READONLY).
                config.setConnectionInitSql(place.readerSetup());
            }
            default -> {
                config.setMaximumPoolSize(settings.maxConnections());
                config.setMinimumIdle(0);
            }
        }
        // Timeouts
        config.setConnectionTimeout(settings.connectionTimeout());
        // The one writer of SQLite stays open; of several writers, those beyond one go when idle.
        config.setIdleTimeout(role == ConnectionRole.WRITER && settings.writeConnections() == 1 ? 0 : settings.idleTimeout());
        config.setMaxLifetime(settings.lifetime());
        config.setLeakDetectionThreshold(settings.leakDetectionThreshold());
        config.setKeepaliveTime(settings.keepaliveTime());
        return config;
    }

    private ConnectionException failedToOpen(Throwable cause) {
        String opening = "opening " + place.shown();
        if (cause instanceof SQLException se) {
            EngineException mapped = type.errors().map(settings.name(), opening, se, "");
            return mapped instanceof ConnectionException c ? c
                    : new ConnectionException(settings.name(), opening + " failed: " + se.getMessage(),
                            mapped.resultCode(), se);
        }
        return new ConnectionException(settings.name(), opening + " failed: " + cause, EngineException.NO_RESULT_CODE,
                cause);
    }
}
