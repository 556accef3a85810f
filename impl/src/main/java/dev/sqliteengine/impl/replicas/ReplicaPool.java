package dev.sqliteengine.impl.replicas;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.sqliteengine.impl.database.Replication;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming replica of a pool generation: its HikariCP pool, whether it serves reads now, and
 * the furthest replay position it was seen at.
 * <p>
 * A state machine; each transition takes this object's monitor:
 * <pre>
 * CHECKING --probe found a standby-----------------&gt; SERVING
 * CHECKING, DOWN --probe failed--------------------&gt; DOWN      probed again later, less and less often
 * SERVING --a read found it cannot serve ({@link #cannotServe})--&gt; DOWN
 * DOWN --probe found a standby---------------------&gt; SERVING
 * any --close-------------------------------------&gt; closed
 * </pre>
 * Invariant (asserted under {@code -ea}): a probe is scheduled exactly while the replica does not
 * serve and is not closed, so a replica that went away comes back by itself, and one that serves
 * costs nothing in the background. A probe opens one physical connection past the pool (so it
 * never waits behind the pool's timeout) and asks the replay position: a server that replays
 * nothing is no standby (promoted, or the primary's own URL) and does not serve.
 * <p>
 * Reads check {@link #serving()} (one volatile read) and go elsewhere while it is false; the
 * pool keeps trying to connect in the background as HikariCP does, logging at DEBUG. The
 * transitions to and from DOWN are logged once each (WARN, INFO), never per read.
 */
public final class ReplicaPool {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaPool.class);

    /** The first probe of a replica that went away, after this many ms; doubled after each failed one. */
    static final long FIRST_PROBE_DELAY = 250;
    /** The longest time between two probes of a replica that stays away. */
    static final long MAX_PROBE_DELAY = 5_000;

    /** Where a replica stands. */
    public enum Phase {
        /** Opened, not probed yet: reads go elsewhere until the first probe. */
        CHECKING,
        /** Serves reads. */
        SERVING,
        /** Cannot serve reads; probed until it can again. */
        DOWN
    }

    /**
     * Replaced as a whole by every transition.
     *
     * @param why DOWN: why it cannot serve; else empty
     * @param since when the phase began
     */
    public record State(Phase phase, String why, Instant since) {
    }

    private final String engine;
    private final String name;
    private final String url;
    private final HikariDataSource pool;
    /** The driver's data source, for probes past the pool. */
    private final DataSource driver;
    private final Replication replication;
    private final ScheduledExecutorService probes;
    /** The furthest replay position seen, by a probe or a read; only grows. */
    private final AtomicLong replayed = new AtomicLong();
    /** Reads this replica served: read units and read-only transactions. */
    private final LongAdder reads = new LongAdder();

    private volatile State state = new State(Phase.CHECKING, "", Instant.now());
    /** The scheduled probe; guarded by this. */
    private ScheduledFuture<?> probe;
    /** The delay before the next probe; guarded by this. */
    private long probeDelay = FIRST_PROBE_DELAY;
    /** Guarded by this. */
    private boolean closed;

    /**
     * Opens the replica's place in the generation and probes it at once, in the background.
     *
     * @param name the replica's pool, as status names it ({@code replica-1})
     * @param pool its HikariCP pool, opened without connecting
     * @param driver the driver's data source for its connections, for the probes
     * @param probes where probes run (the pools' housekeeping thread)
     */
    public ReplicaPool(String engine, String name, String url, HikariDataSource pool, DataSource driver,
            Replication replication, ScheduledExecutorService probes) {
        this.engine = engine;
        this.name = name;
        this.url = url;
        this.pool = pool;
        this.driver = driver;
        this.replication = replication;
        this.probes = probes;
        synchronized (this) {
            // Last: every field is set before the probe thread may see this object.
            probe = probes.schedule(this::probe, 0, TimeUnit.MILLISECONDS);
        }
    }

    /** @return the pool's name, {@code replica-<n>} in the order of the configuration */
    public String name() {
        return name;
    }

    /** @return the replica's URL */
    public String url() {
        return url;
    }

    /** @return its HikariCP pool, for the generation's sizes, figures and close */
    public HikariDataSource pool() {
        return pool;
    }

    /** @return where it stands now */
    public State state() {
        return state;
    }

    /** @return whether reads may go to it now */
    public boolean serving() {
        return state.phase() == Phase.SERVING;
    }

    /** @return the furthest replay position seen */
    long replayed() {
        return replayed.get();
    }

    /** @return the reads it served */
    public long reads() {
        return reads.sum();
    }

    void served() {
        reads.increment();
    }

    /**
     * @return a connection of the pool, or null when none could be had: the replica is then
     *         DOWN if the failure says it cannot serve, or merely busy (the pool's timeout)
     */
    Connection checkout() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            cannotServe(e);
            return null;
        }
    }

    /**
     * Asks the replica how far it has replayed, on a connection of its own pool.
     *
     * @return the replay position, or -1 when it cannot tell (the replica is then DOWN, and the
     *         connection must be evicted)
     */
    long ask(Connection c) {
        try {
            long position = replication.replayPosition(c);
            if (position == Replication.NOT_A_REPLICA) {
                down(notAStandby());
                return -1;
            }
            replayed.accumulateAndGet(position, Math::max);
            return position;
        } catch (SQLException e) {
            down(reason(e));
            return -1;
        }
    }

    /**
     * Takes note of a failure on one of this replica's connections.
     *
     * @return whether it says the replica cannot serve; it is then DOWN
     */
    boolean cannotServe(SQLException failure) {
        if (!replication.cannotServe(failure)) {
            return false;
        }
        down(reason(failure));
        return true;
    }

    private synchronized void down(String why) {
        if (closed || state.phase() == Phase.DOWN) {
            return;
        }
        boolean wasServing = state.phase() == Phase.SERVING;
        state = new State(Phase.DOWN, why, Instant.now());
        LOG.warn("[{}] {} ({}) cannot serve reads, which run on the primary until it can: {}", engine, name, url, why);
        // The connections from before are likely dead: idle ones go now, busy ones when they come back.
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
        if (wasServing) {
            probeDelay = FIRST_PROBE_DELAY;
            probe = probes.schedule(this::probe, probeDelay, TimeUnit.MILLISECONDS);
        }
        assert invariant();
    }

    /** Runs on the probe thread: one connection past the pool, one question. */
    private void probe() {
        long position;
        String why;
        try (Connection c = driver.getConnection()) {
            position = replication.replayPosition(c);
            why = position == Replication.NOT_A_REPLICA ? notAStandby() : null;
        } catch (SQLException | RuntimeException e) {
            position = -1;
            why = reason(e);
        }
        synchronized (this) {
            probe = null;
            if (closed) {
                return;
            }
            if (why == null) {
                replayed.accumulateAndGet(position, Math::max);
                if (state.phase() == Phase.DOWN) {
                    LOG.info("[{}] {} ({}) serves reads again", engine, name, url);
                    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
                    if (bean != null) {
                        bean.softEvictConnections(); // opened while it came back: start afresh
                    }
                }
                state = new State(Phase.SERVING, "", Instant.now());
            } else {
                if (state.phase() == Phase.DOWN) {
                    LOG.debug("[{}] {} ({}) still cannot serve reads: {}", engine, name, url, why);
                    state = new State(Phase.DOWN, why, state.since());
                } else {
                    state = new State(Phase.DOWN, why, Instant.now());
                    LOG.warn("[{}] {} ({}) cannot serve reads, which run on the primary until it can: {}", engine, name,
                            url, why);
                }
                probe = probes.schedule(this::probe, probeDelay, TimeUnit.MILLISECONDS);
                probeDelay = Math.min(MAX_PROBE_DELAY, probeDelay * 2);
            }
            assert invariant();
        }
    }

    /** Stops probing; the generation closes the pool. */
    public synchronized void close() {
        closed = true;
        if (probe != null) {
            probe.cancel(false);
            probe = null;
        }
    }

    private boolean invariant() {
        assert Thread.holdsLock(this);
        return closed || (probe != null) == (state.phase() != Phase.SERVING);
    }

    private static String notAStandby() {
        return "it replays no write-ahead log: it is no standby (promoted, or the primary itself)";
    }

    private static String reason(Throwable e) {
        String state = e instanceof SQLException s && s.getSQLState() != null ? " (SQLSTATE " + s.getSQLState() + ")" : "";
        return e.getMessage() + state;
    }

    @Override
    public String toString() {
        return name + " (" + url + "): " + state.phase();
    }
}
