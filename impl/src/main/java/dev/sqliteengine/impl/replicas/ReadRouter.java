package dev.sqliteengine.impl.replicas;

import dev.sqliteengine.impl.database.Replication;
import dev.sqliteengine.impl.settings.ReadYourWrites;
import dev.sqliteengine.impl.settings.ReplicaSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Where an engine's reads run when it has streaming replicas: one object per engine, for its whole
 * life, across pool generations.
 * <ul>
 * <li>A read (a read unit, a read-only {@code DataSource} connection) goes to the next serving
 * replica in turn that has replayed the engine's last commit ({@link WritePosition}), as far as
 * the engine knows; when none is known to, the next serving one is asked how far it is. One that
 * is behind is waited for ({@code replicas.readYourWrites=wait}, at most
 * {@code replicas.readYourWritesTimeout}) or passed over ({@code primary}); with {@code off} any
 * serving replica will do. A read that finds no replica runs on the primary.</li>
 * <li>Every commit on the primary asks for its position in the write-ahead log, while reads must
 * see commits ({@link ReplicaSettings#followsCommits()}); otherwise nothing is asked, and a commit
 * costs what it costs without replicas.</li>
 * <li>A read whose replica fails under it because the replica cannot serve (or cancelled it for a
 * conflict with recovery) runs again on the primary ({@link #elsewhere}); the replica is then
 * DOWN until its probe finds it serving ({@link ReplicaPool}).</li>
 * </ul>
 * Thread safe: the positions are {@link WritePosition}'s and each replica's own, the rest are
 * counters.
 */
public final class ReadRouter {

    /** The first pause between two questions to a replica that is behind; doubled each time. */
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Replication replication;
    private final WritePosition written = new WritePosition();
    /** Reads that could have run on a replica and ran on the primary: none serving, or all behind. */
    private final LongAdder onPrimary = new LongAdder();
    /** Reads that waited for a replica to replay the engine's last commit. */
    private final LongAdder waited = new LongAdder();
    /** Reads run again on the primary after their replica failed under them. */
    private final LongAdder rerun = new LongAdder();

    public ReadRouter(Replication replication) {
        this.replication = replication;
    }

    /**
     * Called on the primary's connection right after a commit of the engine (a write unit, a
     * writing transaction or statement of the {@code DataSource}), outside a transaction: asks for
     * the commit's position when reads must see it, else does nothing.
     */
    public void committed(Connection primary, ReplicaSet replicas, ReplicaSettings settings) {
        if (settings.followsCommits() && !replicas.isEmpty()) {
            written.committed(primary, replicas.primary(), replication);
        }
    }

    /**
     * @return a connection of a replica that may serve a read now, or null: run the read on the
     *         primary
     */
    public ReplicaLease lease(ReplicaSet replicas, ReplicaSettings settings) {
        if (replicas.isEmpty()) {
            return null;
        }
        long target = settings.readYourWrites() == ReadYourWrites.OFF ? 0 : written.target(replicas.primary());
        if (target == WritePosition.UNKNOWN) {
            onPrimary.increment();
            return null;
        }
        int size = replicas.all().size();
        int first = replicas.nextTurn();
        ReplicaPool behind = null;
        for (int i = 0; i < size; i++) {
            ReplicaPool replica = replicas.all().get((first + i) % size);
            if (!replica.serving()) {
                continue;
            }
            if (replica.replayed() >= target) {
                Connection c = replica.checkout();
                if (c != null) {
                    return new ReplicaLease(replica, c);
                }
            } else if (behind == null) {
                behind = replica;
            }
        }
        ReplicaLease caughtUp = behind == null ? null : catchUp(behind, target, settings);
        if (caughtUp == null) {
            onPrimary.increment();
        }
        return caughtUp;
    }

    /**
     * Asks a replica that was behind how far it is now, and waits for it with
     * {@code readYourWrites=wait}.
     *
     * @return a lease on it once it has replayed the target, or null
     */
    private ReplicaLease catchUp(ReplicaPool replica, long target, ReplicaSettings settings) {
        Connection c = replica.checkout();
        if (c == null) {
            return null;
        }
        boolean waits = settings.readYourWrites() == ReadYourWrites.WAIT;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waits ? settings.readYourWritesTimeout() : 0);
        long pause = FIRST_PAUSE_NANOS;
        boolean counted = false;
        while (true) {
            long replayed = replica.ask(c);
            if (replayed < 0) {
                replica.pool().evictConnection(c); // asking failed: the replica is DOWN
                return null;
            }
            if (replayed >= target) {
                return new ReplicaLease(replica, c);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                close(c);
                return null;
            }
            if (!counted) {
                waited.increment();
                counted = true;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
        }
    }

    /**
     * Takes note of a read that failed on a replica.
     *
     * @return whether to run it again on the primary: the replica cannot serve (it is DOWN now),
     *         or it cancelled the read for a conflict with recovery
     */
    public boolean elsewhere(ReplicaLease lease, SQLException failure) {
        boolean again = lease.cannotServe(failure) || replication.isRecoveryConflict(failure);
        if (again) {
            rerun.increment();
        }
        return again;
    }

    /** @return reads that could have run on a replica and ran on the primary (none serving, or all behind) */
    public long readsOnPrimary() {
        return onPrimary.sum();
    }

    /** @return reads that waited for a replica to replay the engine's last commit */
    public long waits() {
        return waited.sum();
    }

    /** @return reads run again on the primary after their replica failed under them */
    public long reruns() {
        return rerun.sum();
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // HikariCP evicts a connection it cannot take back
        }
    }
}
