package dev.sqliteengine.impl.engine;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.PoolStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connection pools of one configuration of an engine: a single writer connection for write
 * units, a pool of query-only readers for read units, and the pool behind the engine's
 * {@code DataSource}. A configuration change that needs new connections builds a new generation
 * next to the old one, and the engine switches to it atomically.
 * <p>
 * Invariants:
 * <ul>
 * <li>A unit of work only starts on a generation after {@link #tryEnter()} returned true, and
 * calls {@link #exit()} exactly once when it ends; {@link #inFlight} counts such units.</li>
 * <li>A generation is retired only after new work stopped being sent to it:
 * {@link CurrentGeneration}, the only caller of {@link #retire()}, publishes the new generation
 * first, or pauses new work (leaving WAL mode). A unit that enters a generation just as it is
 * retired sees {@code retired} after its increment, backs out and looks again, and finds the new
 * generation or the pause. So once {@code retired} is set, {@link #inFlight} can only fall.</li>
 * <li>{@link #close(boolean, long)} waits for {@link #inFlight} and for connections handed out
 * through the data source to come back, up to the drain timeout, then closes the pools, which
 * aborts whatever is still checked out.</li>
 * </ul>
 */
final class PoolGeneration {

    static final String WRITER = "writer";
    static final String READERS = "readers";
    static final String DATA_SOURCE = "dataSource";

    private final int number;
    /** Replaced by {@link #resize}; the fields that need new connections never change. */
    private volatile EngineSettings settings;
    /** The hooks every connection of this generation got; a different set needs a new generation. */
    private final ConnectionSetups setups;
    private final DatabaseLocation location;
    private final HikariDataSource writer;
    private final HikariDataSource readers;
    private final HikariDataSource dataSource;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final StatementCaches statementCaches;
    private volatile boolean retired;

    private PoolGeneration(int number, EngineSettings settings, ConnectionSetups setups, DatabaseLocation location,
            HikariDataSource writer, HikariDataSource readers, HikariDataSource dataSource,
            StatementCaches statementCaches) {
        this.number = number;
        this.statementCaches = statementCaches;
        this.settings = settings;
        this.setups = setups;
        this.location = location;
        this.writer = writer;
        this.readers = readers;
        this.dataSource = dataSource;
    }

    /**
     * Opens the pools. Each pool opens one connection before this returns (HikariCP's fail-fast),
     * so a database that cannot be opened fails here, before anything is published. Nothing
     * stays open when this throws. A connection setup hook that fails on one of these first
     * connections fails the open, naming the hook.
     *
     * @param housekeeping the engine's scheduler for HikariCP's housekeeping, shared by all its
     *        pools (see {@link PoolThreads})
     * @param reuse the engine's statement cache figures and schema change count, shared by its
     *        generations (see {@link StatementCache})
     */
    static PoolGeneration open(int number, EngineSettings settings, ConnectionSetups setups, DatabaseLocation location,
            ListenerSet events, MetricsTrackerFactory metrics, ScheduledExecutorService housekeeping,
            StatementReuse reuse) {
        List<HikariDataSource> opened = new ArrayList<>();
        try {
            HikariDataSource writer = null;
            if (!settings.readOnly()) {
                NewFile.prepare(settings, location);
                // Opened first: it is the connection that sets a persistent journal mode (WAL).
                writer = pool(opened, number, settings, setups, location, events, metrics, WRITER, housekeeping);
            }
            HikariDataSource readers = pool(opened, number, settings, setups, location, events, metrics, READERS, housekeeping);
            HikariDataSource dataSource = pool(opened, number, settings, setups, location, events, metrics, DATA_SOURCE, housekeeping);
            return new PoolGeneration(number, settings, setups, location, writer, readers, dataSource,
                    new StatementCaches(settings.statementCacheSize(), reuse));
        } catch (RuntimeException e) {
            opened.forEach(HikariDataSource::close);
            throw e;
        }
    }

    private static HikariDataSource pool(List<HikariDataSource> opened, int number, EngineSettings settings,
            ConnectionSetups setups, DatabaseLocation location, ListenerSet events, MetricsTrackerFactory metrics,
            String role, ScheduledExecutorService housekeeping) {
        SQLiteConfig driver = new SQLiteConfig();
        settings.pragmas().applyTo(driver, !settings.readOnly());
        driver.setReadOnly(settings.readOnly());
        // Generated keys cost 20-40% on inserts and are rarely used with SQLite (last_insert_rowid()).
        driver.setPragma(SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS, "false");
        if (DATA_SOURCE.equals(role)) {
            // Our ClientConnection keeps the driver in auto-commit mode and begins transactions
            // itself. Only code that unwraps to the driver's connection and switches it to
            // manual commit reaches this mode: the write lock at the start, never an upgrade.
            driver.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        String poolName = "sqlite-engine-" + settings.name() + "#" + number + "-" + role;
        ConnectionRole connectionRole = switch (role) {
            case WRITER -> ConnectionRole.WRITER;
            case READERS -> ConnectionRole.READER;
            default -> ConnectionRole.DATA_SOURCE;
        };
        SQLiteDataSource source = new ObservedDataSource(driver, events, poolName, settings.name(), connectionRole, setups);
        source.setUrl(location.url());

        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setDataSource(source);
        config.setAutoCommit(true);
        // HikariCP resets the flag on every connection; sqlite-jdbc refuses to change it once open.
        config.setReadOnly(settings.readOnly());
        config.setInitializationFailTimeout(1);
        if (!DATA_SOURCE.equals(role)) {
            // HikariCP times the units' checkouts for the figures; the DataSource's are sampled
            // by the engine (EngineMetrics.CLIENT_SAMPLE), as HikariCP's clock reads cost too much there
            config.setMetricsTrackerFactory(metrics);
        }
        config.setScheduledExecutor(housekeeping);
        // Sizes
        switch (role) {
            case WRITER -> {
                config.setMaximumPoolSize(1);
                config.setMinimumIdle(1);
            }
            case READERS -> {
                config.setMaximumPoolSize(settings.maxConnections());
                config.setMinimumIdle(settings.minConnections());
                // One statement: the driver has no setting for it, and it must come after the
                // driver's own pragmas. A read unit that tries to write fails with SQLITE_READONLY.
                config.setConnectionInitSql("PRAGMA query_only=1");
            }
            default -> {
                config.setMaximumPoolSize(settings.maxConnections());
                config.setMinimumIdle(0);
            }
        }
        // Timeouts
        config.setConnectionTimeout(settings.connectionTimeout());
        config.setIdleTimeout(WRITER.equals(role) ? 0 : settings.idleTimeout());
        config.setMaxLifetime(settings.lifetime());
        config.setLeakDetectionThreshold(settings.leakDetectionThreshold());
        config.setKeepaliveTime(settings.keepaliveTime());
        try {
            HikariDataSource pool = new HikariDataSource(config);
            opened.add(pool);
            return pool;
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof SQLException se) {
                EngineException mapped = SqlErrors.map(settings.name(), "opening " + location.shown(), se, "");
                throw mapped instanceof ConnectionException ? mapped
                        : new ConnectionException(settings.name(), "opening " + location.shown() + " failed: "
                                + se.getMessage(), mapped.resultCode(), se);
            }
            throw new ConnectionException(settings.name(), "opening " + location.shown() + " failed: " + cause, 
                    EngineException.NO_RESULT_CODE, cause);
        }
    }

    int number() {
        return number;
    }

    EngineSettings settings() {
        return settings;
    }

    DatabaseLocation location() {
        return location;
    }

    ConnectionSetups setups() {
        return setups;
    }

    /** @return whether the unit may run here; false once the generation is retired */
    boolean tryEnter() {
        inFlight.incrementAndGet();
        if (retired) {
            exit();
            return false;
        }
        return true;
    }

    void exit() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Refuses new units from now on. Called by {@link CurrentGeneration} only, which keeps the order. */
    void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }

    Connection writerConnection() throws SQLException {
        return writer.getConnection();
    }

    Connection readerConnection() throws SQLException {
        return readers.getConnection();
    }

    /**
     * Closes a checked-out connection that could not be made clean, instead of letting it go back
     * to its pool (SQLite rolls back what was open when the connection closes).
     */
    void evict(String role, Connection c) {
        HikariDataSource pool = switch (role) {
            case WRITER -> writer;
            case READERS -> readers;
            default -> dataSource;
        };
        if (pool != null) {
            pool.evictConnection(c);
        }
    }

    /** Raw connections for {@code Engine.connect()} and the {@code DataSource}: not counted as units. */
    HikariDataSource dataSource() {
        return dataSource;
    }

    /**
     * Applies the sizes and timeouts of new settings to the running pools, in place: no
     * connection is closed under anyone. Only valid when {@code !settings().needsNewPool(next)}.
     */
    void resize(EngineSettings next) {
        for (HikariDataSource pool : new HikariDataSource[] {readers, dataSource}) {
            // Raise the maximum before the minimum and lower the minimum before the maximum, so
            // HikariCP never sees min > max in between.
            int min = pool == readers ? next.minConnections() : 0;
            if (next.maxConnections() >= pool.getMaximumPoolSize()) {
                pool.setMaximumPoolSize(next.maxConnections());
                pool.setMinimumIdle(min);
            } else {
                pool.setMinimumIdle(min);
                pool.setMaximumPoolSize(next.maxConnections());
            }
            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
            if (bean != null && bean.getTotalConnections() > next.maxConnections()) {
                // HikariCP only retires idle connections by idle timeout. Soft eviction closes the
                // idle ones now and the busy ones when they come back; none is closed under a user.
                bean.softEvictConnections();
            }
            pool.setConnectionTimeout(next.connectionTimeout());
            pool.setIdleTimeout(next.idleTimeout());
            pool.setMaxLifetime(next.lifetime());
            pool.setLeakDetectionThreshold(next.leakDetectionThreshold());
        }
        if (writer != null) {
            writer.setConnectionTimeout(next.connectionTimeout());
            writer.setMaxLifetime(next.lifetime());
            writer.setLeakDetectionThreshold(next.leakDetectionThreshold());
        }
        statementCaches.resize(next.statementCacheSize());
        settings = next;
    }

    /** @return the statement caches of this generation's connections */
    StatementCaches statementCaches() {
        return statementCaches;
    }

    List<PoolStatus> status() {
        List<PoolStatus> out = new ArrayList<>(3);
        out.add(writer == null ? PoolStatus.closed(WRITER) : status(WRITER, writer));
        out.add(status(READERS, readers));
        out.add(status(DATA_SOURCE, dataSource));
        return out;
    }

    private static PoolStatus status(String role, HikariDataSource pool) {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null || pool.isClosed()) {
            return PoolStatus.closed(role);
        }
        return new PoolStatus(role, bean.getTotalConnections(), bean.getActiveConnections(),
                bean.getIdleConnections(), bean.getThreadsAwaitingConnection(), pool.getMaximumPoolSize(),
                pool.getMinimumIdle());
    }

    /** @return units in progress plus raw connections checked out */
    int busy() {
        HikariPoolMXBean bean = dataSource.getHikariPoolMXBean();
        return inFlight.get() + (bean == null ? 0 : bean.getActiveConnections());
    }

    /**
     * Waits for the work on this retired generation to finish, up to the drain timeout, then
     * closes its pools. Work still running after the timeout has its connections closed under it.
     *
     * @param checkpoint whether to checkpoint and truncate the WAL first (on engine close, not
     *        when a newer generation still uses the file)
     * @return whether everything drained in time
     */
    boolean close(boolean checkpoint, long drainTimeoutMillis) {
        long deadline = System.nanoTime() + drainTimeoutMillis * 1_000_000L;
        boolean drained;
        synchronized (this) {
            while (true) {
                drained = busy() == 0;
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (drained || left <= 0) {
                    break;
                }
                try {
                    // Units notify on exit; raw data source connections do not, hence the bound.
                    wait(Math.min(left, 20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (checkpoint && drained && writer != null && !location.inMemory()) {
            try (Connection c = writer.getConnection(); Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                // The file stays consistent; SQLite checkpoints when the last connection closes.
            }
        }
        if (dataSource != null) {
            dataSource.close();
        }
        readers.close();
        if (writer != null) {
            writer.close();
        }
        statementCaches.clear();
        return drained;
    }
}
