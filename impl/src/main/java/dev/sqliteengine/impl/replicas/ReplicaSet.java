package dev.sqliteengine.impl.replicas;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streaming replicas of one pool generation, in the order of the configuration, and whose turn
 * it is to serve the next read. Made with the generation's pools and closed with them: a change of
 * the replicas is a new generation, so the set never changes.
 */
public final class ReplicaSet {

    /** No replicas: every read runs on the primary. */
    public static final ReplicaSet NONE = new ReplicaSet("", List.of());

    private final String primary;
    private final List<ReplicaPool> replicas;
    /** Counts up with every read that looks for a replica; the turns go round the list. */
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * @param primary the URL of the primary the replicas follow: write positions of another server
     *        mean nothing here
     */
    public ReplicaSet(String primary, List<ReplicaPool> replicas) {
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
    }

    /** @return whether there are no replicas */
    public boolean isEmpty() {
        return replicas.isEmpty();
    }

    /** @return the primary's URL */
    String primary() {
        return primary;
    }

    /** @return the replicas, in the order of the configuration */
    public List<ReplicaPool> all() {
        return replicas;
    }

    /** @return the index of the replica whose turn it is; the caller goes on round the list from there */
    int nextTurn() {
        return Math.floorMod(turn.getAndIncrement(), replicas.size());
    }

    /** @return connections checked out of the replicas' pools now */
    public int active() {
        int active = 0;
        for (ReplicaPool r : replicas) {
            HikariPoolMXBean bean = r.pool().getHikariPoolMXBean();
            active += bean == null ? 0 : bean.getActiveConnections();
        }
        return active;
    }

    /**
     * Closes a connection of the replica named instead of letting it go back to its pool.
     *
     * @return whether a replica has that name
     */
    public boolean evict(String name, Connection c) {
        for (ReplicaPool r : replicas) {
            if (r.name().equals(name)) {
                r.pool().evictConnection(c);
                return true;
            }
        }
        return false;
    }

    /** Stops the probes and closes the pools. */
    public void close() {
        for (ReplicaPool r : replicas) {
            r.close();
            r.pool().close();
        }
    }

    /** @return the pools, for sizes set in place */
    public List<HikariDataSource> pools() {
        return replicas.stream().map(ReplicaPool::pool).toList();
    }
}
