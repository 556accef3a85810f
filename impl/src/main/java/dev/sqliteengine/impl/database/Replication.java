package dev.sqliteengine.impl.database;

import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Streaming replicas of a database server, which serve an engine's reads: how their connections
 * are made, where the primary's write-ahead log stands after a commit, how far a replica has
 * replayed it, and which failures on a replica say that it cannot serve now. Positions are byte
 * offsets in the write-ahead log, so a replica whose replay position is at least a commit's
 * position shows that commit to the transactions that begin after.
 * <p>
 * {@link #NONE} is the answer of a database type without replicas (SQLite): its settings never
 * name any, so nothing of it is ever called.
 */
public interface Replication {

    /** {@link #replayPosition} of a server that is not replaying anything: it is no standby. */
    long NOT_A_REPLICA = -1;

    /** No replicas: every method fails, since settings without replicas never lead here. */
    Replication NONE = new Replication() {
        @Override
        public DataSource driver(EngineSettings settings, int replica) {
            throw none();
        }

        @Override
        public long commitPosition(Connection primary) {
            throw none();
        }

        @Override
        public long replayPosition(Connection replica) {
            throw none();
        }

        @Override
        public boolean cannotServe(SQLException failure) {
            return false;
        }

        @Override
        public boolean isRecoveryConflict(SQLException failure) {
            return false;
        }

        private IllegalStateException none() {
            return new IllegalStateException("this database type has no replicas");
        }
    };

    /**
     * @param replica the replica's index in {@code settings.replicas().urls()}
     * @return the driver's data source for the physical connections of that replica's pool: the
     *         engine's user and password, connections that only read
     */
    DataSource driver(EngineSettings settings, int replica);

    /**
     * Asked on the connection that has just committed, outside a transaction.
     *
     * @return a position of the primary's write-ahead log at or after the end of that commit
     */
    long commitPosition(Connection primary) throws SQLException;

    /**
     * Asked on a replica's connection, outside a transaction.
     *
     * @return the position up to which the replica has replayed the primary's write-ahead log, or
     *         {@link #NOT_A_REPLICA} when the server replays nothing (it was promoted, or the URL
     *         leads to a primary)
     */
    long replayPosition(Connection replica) throws SQLException;

    /**
     * @return whether a failure on a replica's connection says that the replica cannot serve now
     *         (the connection was lost, the server is shutting down or starting, it has no room
     *         for another connection): its reads go to the primary until it serves again
     */
    boolean cannotServe(SQLException failure);

    /**
     * @return whether a replica cancelled a read because replaying the primary's changes needed
     *         what the read held (PostgreSQL's conflict with recovery): the same read on the
     *         primary would not fail so
     */
    boolean isRecoveryConflict(SQLException failure);
}
