package dev.sqliteengine.impl.replicas;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection of a replica's pool, checked out for one read unit or one read-only
 * {@code DataSource} connection. The holder closes {@link #connection()} to give it back, or has
 * the replica {@link #evict} it, and reports what failed on it ({@link #cannotServe}).
 */
public final class ReplicaLease {

    private final ReplicaPool replica;
    private final Connection connection;

    ReplicaLease(ReplicaPool replica, Connection connection) {
        this.replica = replica;
        this.connection = connection;
        replica.served();
    }

    /** @return the replica's pooled connection */
    public Connection connection() {
        return connection;
    }

    /** @return the replica's pool name ({@code replica-1}), as status and events name it */
    public String pool() {
        return replica.name();
    }

    /** Closes the connection instead of letting it go back to the pool. */
    public void evict() {
        replica.pool().evictConnection(connection);
    }

    /**
     * @return whether the failure says the replica cannot serve now (it is DOWN from now on), so
     *         that the read is worth running on the primary
     */
    public boolean cannotServe(SQLException failure) {
        return replica.cannotServe(failure);
    }

    @Override
    public String toString() {
        return replica.toString();
    }
}
