package dev.sqliteengine.impl.replicas;

import dev.sqliteengine.impl.database.Replication;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the primary's write-ahead log stood after the engine's last commit, engine-wide (every
 * thread's commits, on every pool generation): a read that must see the engine's writes may run
 * on a replica that has replayed that far.
 * <p>
 * Invariant: {@link #target} is at or after the position of every commit whose {@link #committed}
 * has returned, or {@link #UNKNOWN}. When asking the primary fails (its connection broke just
 * after the commit), the position is UNKNOWN, and reads run on the primary, until a position
 * asked for after that failure comes in: such a position is past the commit whose position was
 * lost. An answer to a question asked before the failure never clears it; {@link #failures}
 * tells them apart.
 */
final class WritePosition {

    /** The target after a failed question: no replica is known to have replayed it. */
    static final long UNKNOWN = Long.MAX_VALUE;

    /**
     * @param server the primary's URL: positions of another server are not comparable
     * @param position the furthest commit position, or {@link #UNKNOWN}
     */
    private record Mark(String server, long position) {
    }

    private volatile Mark mark = new Mark("", 0);
    /** Failed questions so far; guarded by this (read without the lock only to stamp a question). */
    private volatile long failures;

    /**
     * @param server the URL of the primary whose replicas would serve the read
     * @return the position a replica must have replayed for a read to see the engine's commits;
     *         0 when the engine has committed nothing on that server
     */
    long target(String server) {
        Mark m = mark;
        return m.server().equals(server) ? m.position() : 0;
    }

    /** Asks the primary for its position after a commit, on the connection that committed. */
    void committed(Connection primary, String server, Replication replication) {
        long stamp = failures;
        long position;
        try {
            position = replication.commitPosition(primary);
        } catch (SQLException | RuntimeException e) {
            failed(server);
            return;
        }
        advance(server, position, stamp);
    }

    private synchronized void advance(String server, long position, long stamp) {
        Mark m = mark;
        if (!m.server().equals(server)) {
            mark = new Mark(server, position); // a new primary: the old one's positions mean nothing there
        } else if (m.position() == UNKNOWN) {
            if (stamp == failures) {
                mark = new Mark(server, position); // asked after the failure: past the lost commit
            }
        } else if (position > m.position()) {
            mark = new Mark(server, position);
        }
    }

    private synchronized void failed(String server) {
        failures++;
        mark = new Mark(server, UNKNOWN);
    }
}
