package dev.sqliteengine.impl.pool;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.figures.StatementReuse;
import dev.sqliteengine.impl.jdbc.StatementCaches;
import dev.sqliteengine.impl.replicas.ReplicaPool;
import dev.sqliteengine.impl.replicas.ReplicaSet;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection pools of one configuration of an engine: the writers of write units (one
 * connection on SQLite, {@code write.connections} on PostgreSQL), a pool of readers that refuse
 * writes for read units, the pool behind the engine's {@code DataSource}, and a pool per
 * streaming replica for the reads that run there ({@link ReplicaSet}). A configuration change that needs new connections builds a new generation
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
public final class PoolGeneration {

    public static final String WRITER = "writer";
    public static final String READERS = "readers";
    public static final String DATA_SOURCE = "dataSource";

    private final int number;
    /** Replaced by {@link #resize}; the fields that need new connections never change. */
    private volatile EngineSettings settings;
    /** The hooks every connection of this generation got; a different set needs a new generation. */
    private final ConnectionSetups setups;
    private final DatabaseType type;
    private final DatabasePlace place;
    private final HikariDataSource writer;
    private final HikariDataSource readers;
    private final HikariDataSource dataSource;
    /** The streaming replicas' pools; {@link ReplicaSet#NONE} for none. */
    private final ReplicaSet replicas;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final StatementCaches statementCaches;
    private volatile boolean retired;

    private PoolGeneration(int number, EngineSettings settings, ConnectionSetups setups, DatabaseType type,
            DatabasePlace place, HikariDataSource writer, HikariDataSource readers, HikariDataSource dataSource,
            ReplicaSet replicas, StatementCaches statementCaches) {
        this.number = number;
        this.statementCaches = statementCaches;
        this.settings = settings;
        this.setups = setups;
        this.type = type;
        this.place = place;
        this.writer = writer;
        this.readers = readers;
        this.dataSource = dataSource;
        this.replicas = replicas;
    }

    /**
     * Opens the pools ({@link GenerationPools}). Each pool opens one connection before this
     * returns (HikariCP's fail-fast), so a database that cannot be opened fails here, before
     * anything is published. Nothing stays open when this throws. A connection setup hook that
     * fails on one of these first connections fails the open, naming the hook.
     *
     * @param type the engine's database type, which makes the physical connections
     * @param place where the database is, opened by the type
     * @param housekeeping the engine's scheduler for HikariCP's housekeeping, shared by all its
     *        pools (see {@link PoolThreads})
     * @param reuse the engine's statement cache figures and schema change count, shared by its
     *        generations (see {@link StatementCaches})
     */
    static PoolGeneration open(int number, EngineSettings settings, ConnectionSetups setups, DatabaseType type,
            DatabasePlace place, ListenerSet events, MetricsTrackerFactory metrics, ScheduledExecutorService housekeeping,
            StatementReuse reuse) {
        List<HikariDataSource> opened = new ArrayList<>();
        GenerationPools pools = new GenerationPools(number, settings, setups, type, place, events, metrics, housekeeping);
        try {
            HikariDataSource writer = null;
            if (!settings.readOnly()) {
                place.prepare(settings);
                // Opened first: it is the connection that sets a persistent journal mode (WAL).
                writer = pools.open(opened, ConnectionRole.WRITER);
            }
            HikariDataSource readers = pools.open(opened, ConnectionRole.READER);
            HikariDataSource dataSource = pools.open(opened, ConnectionRole.DATA_SOURCE);
            // Last, since nothing after them may fail: they are opened without connecting.
            ReplicaSet replicas = replicas(pools, settings, place);
            return new PoolGeneration(number, settings, setups, type, place, writer, readers, dataSource, replicas,
                    new StatementCaches(settings.statementCacheSize(), reuse));
        } catch (RuntimeException e) {
            opened.forEach(HikariDataSource::close);
            throw e;
        }
    }

    private static ReplicaSet replicas(GenerationPools pools, EngineSettings settings, DatabasePlace primary) {
        int count = settings.replicas().urls().size();
        if (count == 0) {
            return ReplicaSet.NONE;
        }
        List<ReplicaPool> replicas = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                replicas.add(pools.openReplica(i));
            }
        } catch (RuntimeException e) {
            new ReplicaSet("", replicas).close();
            throw e;
        }
        return new ReplicaSet(primary.shown(), replicas);
    }

    /** @return the name of a role's pool, as status and pool names show it */
    static String poolName(ConnectionRole role) {
        return switch (role) {
            case WRITER -> WRITER;
            case READER -> READERS;
            case DATA_SOURCE -> DATA_SOURCE;
        };
    }

    public int number() {
        return number;
    }

    public EngineSettings settings() {
        return settings;
    }

    /** @return where the database of this generation is */
    public DatabasePlace place() {
        return place;
    }

    /** @return the engine's database type */
    public DatabaseType type() {
        return type;
    }

    public ConnectionSetups setups() {
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

    public void exit() {
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

    public boolean retired() {
        return retired;
    }

    public Connection writerConnection() throws SQLException {
        return writer.getConnection();
    }

    public Connection readerConnection() throws SQLException {
        return readers.getConnection();
    }

    /** @return the streaming replicas that serve reads; {@link ReplicaSet#NONE} for none */
    public ReplicaSet replicas() {
        return replicas;
    }

    /**
     * Closes a checked-out connection that could not be made clean, instead of letting it go back
     * to its pool (the database rolls back what was open when the connection closes).
     */
    public void evict(String role, Connection c) {
        if (replicas.evict(role, c)) {
            return;
        }
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
    public HikariDataSource dataSource() {
        return dataSource;
    }

    /**
     * Applies the sizes and timeouts of new settings to the running pools, in place: no
     * connection is closed under anyone. Only valid when {@code !settings().needsNewPool(next)}.
     */
    public void resize(EngineSettings next) {
        List<HikariDataSource> resized = new ArrayList<>(List.of(readers, dataSource));
        resized.addAll(replicas.pools());
        for (HikariDataSource pool : resized) {
            // Raise the maximum before the minimum and lower the minimum before the maximum, so
            // HikariCP never sees min > max in between.
            int min = pool == dataSource ? 0 : next.minConnections(); // the replicas are readers
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
            boolean replica = pool != readers && pool != dataSource;
            pool.setConnectionTimeout(replica ? GenerationPools.replicaCheckoutTimeout(next) : next.connectionTimeout());
            pool.setIdleTimeout(next.idleTimeout());
            pool.setMaxLifetime(next.lifetime());
            pool.setLeakDetectionThreshold(next.leakDetectionThreshold());
        }
        if (writer != null) {
            if (next.writeConnections() != writer.getMaximumPoolSize()) {
                // Several writers (PostgreSQL): the writer queue lets as many in as the pool holds.
                writer.setMaximumPoolSize(next.writeConnections());
                writer.setIdleTimeout(next.writeConnections() == 1 ? 0 : next.idleTimeout());
                HikariPoolMXBean bean = writer.getHikariPoolMXBean();
                if (bean != null && bean.getTotalConnections() > next.writeConnections()) {
                    bean.softEvictConnections();
                }
            } else if (next.writeConnections() > 1) {
                writer.setIdleTimeout(next.idleTimeout());
            }
            writer.setConnectionTimeout(next.connectionTimeout());
            writer.setMaxLifetime(next.lifetime());
            writer.setLeakDetectionThreshold(next.leakDetectionThreshold());
        }
        statementCaches.resize(next.statementCacheSize());
        settings = next;
    }

    /** @return the statement caches of this generation's connections */
    public StatementCaches statementCaches() {
        return statementCaches;
    }

    /** @return the writer, the readers, the {@code DataSource}'s pool, then each replica's ({@code replica-1}, …) */
    public List<PoolStatus> status() {
        List<PoolStatus> out = new ArrayList<>(3 + replicas.all().size());
        out.add(writer == null ? PoolStatus.closed(WRITER) : status(WRITER, writer));
        out.add(status(READERS, readers));
        out.add(status(DATA_SOURCE, dataSource));
        for (ReplicaPool replica : replicas.all()) {
            out.add(status(replica.name(), replica.pool()));
        }
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

    /** @return the pools' figures, for error messages: total, active, idle and waiting */
    public String summary() {
        StringBuilder out = new StringBuilder();
        for (PoolStatus p : status()) {
            out.append(out.length() == 0 ? "" : "; ").append(p.pool()).append(": total=").append(p.total())
                    .append(", active=").append(p.active()).append(", idle=").append(p.idle())
                    .append(", waiting=").append(p.waiting());
        }
        return out.toString();
    }

    /**
     * @return units in progress plus raw connections checked out (of the data source's pool, and of
     *         the replicas', where read-only ones may be; a unit's replica connection counts twice,
     *         which only makes the drain wait for it)
     */
    int busy() {
        HikariPoolMXBean bean = dataSource.getHikariPoolMXBean();
        return inFlight.get() + (bean == null ? 0 : bean.getActiveConnections()) + replicas.active();
    }

    /**
     * Waits for the work on this retired generation to finish, up to the drain timeout, then
     * closes its pools. Work still running after the timeout has its connections closed under it.
     *
     * @param checkpoint whether to let the database tidy up first ({@link DatabasePlace#closing}: on
     *        engine close, not when a newer generation still uses the database)
     * @return whether everything drained in time
     */
    public boolean close(boolean checkpoint, long drainTimeoutMillis) {
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
        if (checkpoint && drained && writer != null) {
            place.closing(writer);
        }
        if (dataSource != null) {
            dataSource.close();
        }
        readers.close();
        replicas.close();
        if (writer != null) {
            writer.close();
        }
        statementCaches.clear();
        return drained;
    }
}
