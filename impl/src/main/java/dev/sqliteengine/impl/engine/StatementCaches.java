package dev.sqliteengine.impl.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

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
final class StatementCaches {

    private final ConcurrentHashMap<Connection, StatementCache> byConnection = new ConcurrentHashMap<>();
    /** Engine-wide, across generations: the schema changes and the figures. */
    private final StatementReuse reuse;
    private volatile int capacity;

    /**
     * @param capacity statements kept per connection; 0 turns the cache off
     * @param reuse the engine's schema change count and figures
     */
    StatementCaches(int capacity, StatementReuse reuse) {
        this.capacity = capacity;
        this.reuse = reuse;
    }

    /**
     * @param pooled a connection a checkout holds (HikariCP's proxy)
     * @return the cache of its physical connection, or null when caching is off
     */
    StatementCache of(Connection pooled) throws SQLException {
        if (capacity == 0) {
            return null;
        }
        Connection physical = pooled.unwrap(SQLiteConnection.class);
        StatementCache cache = byConnection.get(physical);
        if (cache == null) {
            byConnection.values().removeIf(StatementCache::connectionClosed);
            cache = new StatementCache(physical, this);
            byConnection.put(physical, cache);
        }
        return cache;
    }

    /** Takes effect as statements come back: a smaller cache closes its extra statements then. */
    void resize(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    long schemaEpoch() {
        return reuse.schemaEpoch();
    }

    /** A statement that may have changed the schema ran: every statement prepared before it is stale. */
    void schemaChanged() {
        reuse.schemaChanged();
    }

    void hit() {
        reuse.reused();
    }

    void miss() {
        reuse.prepared();
    }

    /** @return statements lent from a cache without preparing, engine-wide */
    long hits() {
        return reuse.figures().reused();
    }

    /** @return statements prepared because none was cached (or the cached one was stale), engine-wide */
    long misses() {
        return reuse.figures().prepared();
    }

    /** Forgets every cache once the generation's pools closed (which finalized the statements). */
    void clear() {
        byConnection.clear();
    }
}
