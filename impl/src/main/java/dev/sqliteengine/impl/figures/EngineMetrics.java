package dev.sqliteengine.impl.figures;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.ErrorCodes;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * An engine's counters and latencies since it started. One object per engine, so its figures
 * survive reconfigurations and pool switches. Everything is recorded on the hot path of units and
 * checkouts, hence adders and {@link SlidingLatency} (wait-free recording), and no lock.
 */
public final class EngineMetrics {
    public final LongAdder commits = new LongAdder();
    /** The statement caches' figures and schema change count, across pool generations. */
    public final StatementReuse statementReuse = new StatementReuse();
    public final LongAdder rollbacks = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder reconfigurations = new LongAdder();

    /** Write units run again after a transient failure. */
    public final LongAdder retries = new LongAdder();
    /** SQLITE_BUSY/SQLITE_LOCKED reported by SQLite, whatever ran into it. */
    public final LongAdder busyWaits = new LongAdder();
    /** Waits that ran out of time, except the writer queue's, which {@link #queueTimeouts} counts. */
    public final LongAdder timeouts = new LongAdder();
    public final LongAdder queueTimeouts = new LongAdder();
    public final ErrorCounts errorsByCode;
    /** What the database's error codes mean, for counting them by name and spotting busy waits. */
    private final ErrorCodes codes;

    public final SlidingLatency queueWait = new SlidingLatency();
    public final SlidingLatency checkoutWait = new SlidingLatency();
    public final SlidingLatency connectionUsage = new SlidingLatency();
    public final SlidingLatency readUnits = new SlidingLatency();
    public final SlidingLatency writeUnits = new SlidingLatency();
    /** HikariCP's view of the writer and reader pools, feeding {@link #checkoutWait} and {@link #connectionUsage}. */
    public final PoolMetrics pools = new PoolMetrics(this);

    /** @param codes what the engine's database type's error codes mean */
    public EngineMetrics(ErrorCodes codes) {
        this.codes = codes;
        this.errorsByCode = new ErrorCounts(codes);
    }

    /**
     * Of the checkouts of {@code connect()} and the {@code DataSource}, one in this many is timed,
     * and counted this many times. They are the engine's cheapest operation (a few hundred
     * nanoseconds), and on a virtual machine two clock reads and two recordings cost about as much
     * again (measured here: ~50 ns per checkout at one in 16, ~5 ns at one in 64).
     */
    public static final int CLIENT_SAMPLE = 64;

    /** Null until the engine runs a checkpoint itself. */
    public volatile CheckpointFigures lastCheckpoint;

    /** Counts a failure that leaves the engine as an exception: a unit's, or a checkout's. */
    public void failed(EngineException e) {
        errors.increment();
        counted(codes.counted(e));
    }

    /**
     * Counts a statement that failed on a connection of {@code connect()} or the
     * {@code DataSource}: the caller sees the driver's exception, not an {@link EngineException}.
     */
    public void statementFailed(SQLException e) {
        counted(codes.code(e));
    }

    /** The time since {@code startNanos} that a writer waited in the queue, and whether it got in. */
    public void queued(long startNanos, boolean entered) {
        queueWait.recordSince(startNanos);
        if (!entered) {
            queueTimeouts.increment();
        }
    }

    /** @return the start of a {@code connect()}/{@code DataSource} checkout to time, or 0 for one not sampled */
    public static long clientCheckoutStarting() {
        return ThreadLocalRandom.current().nextInt(CLIENT_SAMPLE) == 0 ? System.nanoTime() : 0;
    }

    /** @return when the connection was handed out, for {@link #clientCheckedIn}; 0 when not sampled */
    public long clientCheckedOut(long started) {
        if (started == 0) {
            return 0;
        }
        long now = System.nanoTime();
        checkoutWait.record(now - started, now, CLIENT_SAMPLE);
        return now;
    }

    public void clientCheckedIn(long checkedOut) {
        if (checkedOut != 0) {
            long now = System.nanoTime();
            connectionUsage.record(now - checkedOut, now, CLIENT_SAMPLE);
        }
    }

    /** A {@code connect()}/{@code DataSource} checkout failed: HikariCP's timeout is a timeout. */
    public void clientCheckoutFailed(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            timeouts.increment();
        }
    }

    private void counted(int resultCode) {
        errorsByCode.add(resultCode);
        if (codes.isBusy(resultCode)) {
            busyWaits.increment();
        }
    }
}
