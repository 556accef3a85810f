package dev.sqliteengine.impl.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
    /** Engine-wide, across generations: how many times the schema may have changed. */
    private final AtomicLong schemaChanges;
    private volatile int capacity;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param capacity statements kept per connection; 0 turns the cache off
     * @param schemaChanges the engine's count of statements that may have changed the schema
     */
    StatementCaches(int capacity, AtomicLong schemaChanges) {
        this.capacity = capacity;
        this.schemaChanges = schemaChanges;
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
        return schemaChanges.get();
    }

    /** A statement that may have changed the schema ran: every statement prepared before it is stale. */
    void schemaChanged() {
        schemaChanges.incrementAndGet();
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    /** @return statements lent from a cache without preparing */
    long hits() {
        return hits.sum();
    }

    /** @return statements prepared because none was cached (or the cached one was stale) */
    long misses() {
        return misses.sum();
    }

    /** Forgets every cache once the generation's pools closed (which finalized the statements). */
    void clear() {
        byConnection.clear();
    }
}
