package dev.sqliteengine.impl.jdbc;

import dev.sqliteengine.impl.figures.StatementReuse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link StatementCache}s of one pool generation, one per physical connection, found from
 * the pooled connection a checkout holds.
 * <p>
 * Leak hazard: HikariCP closes physical connections without telling anyone (idle timeout,
 * lifetime, eviction). Their entries are dropped whenever a new cache is made, which is when
 * HikariCP has opened a connection, usually to replace one it closed; so at most one entry per
 * closed connection lingers until then, and the driver has finalized its statements already.
 * All go with the generation.
 */
public final class StatementCaches {

    private final ConcurrentHashMap<Connection, StatementCache> byConnection = new ConcurrentHashMap<>();
    /** Engine-wide, across generations: the schema changes and the figures. */
    private final StatementReuse reuse;
    private volatile int capacity;

    /**
     * @param capacity statements kept per connection; 0 turns the cache off
     * @param reuse the engine's schema change count and figures
     */
    public StatementCaches(int capacity, StatementReuse reuse) {
        this.capacity = capacity;
        this.reuse = reuse;
    }

    /**
     * @param pooled a connection a checkout holds (HikariCP's proxy)
     * @return the cache of its physical connection, or null when caching is off
     */
    public StatementCache of(Connection pooled) throws SQLException {
        if (capacity == 0) {
            return null;
        }
        // HikariCP's proxy gives its delegate, the driver's own connection, for Connection.class
        Connection physical = pooled.unwrap(Connection.class);
        StatementCache cache = byConnection.get(physical);
        if (cache == null) {
            byConnection.values().removeIf(StatementCache::connectionClosed);
            cache = new StatementCache(physical, this);
            byConnection.put(physical, cache);
        }
        return cache;
    }

    /** Takes effect as statements come back: a smaller cache closes its extra statements then. */
    public void resize(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    public long schemaEpoch() {
        return reuse.schemaEpoch();
    }

    /** A statement that may have changed the schema ran: every statement prepared before it is stale. */
    public void schemaChanged() {
        reuse.schemaChanged();
    }

    void hit() {
        reuse.reused();
    }

    void miss() {
        reuse.prepared();
    }

    /** @return statements lent from a cache without preparing, engine-wide */
    public long hits() {
        return reuse.figures().reused();
    }

    /** @return statements prepared because none was cached (or the cached one was stale), engine-wide */
    public long misses() {
        return reuse.figures().prepared();
    }

    /** Forgets every cache once the generation's pools closed (which finalized the statements). */
    public void clear() {
        byConnection.clear();
    }
}
