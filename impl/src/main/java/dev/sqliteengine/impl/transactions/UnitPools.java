package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.pool.PoolGeneration;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How units of work take a connection from their generation's pools and give it back: clean,
 * or evicted. A connection goes back to its pool only after a successful {@code COMMIT}, or after
 * the database confirmed that no transaction is open; one that cannot be rolled back is evicted,
 * never handed to the next unit.
 */
final class UnitPools {

    private final EngineCore core;
    private final UnitFailures failures;

    UnitPools(EngineCore core, UnitFailures failures) {
        this.core = core;
        this.failures = failures;
    }

    Connection checkOut(PoolGeneration generation, boolean writer) {
        try {
            Connection c = writer ? generation.writerConnection() : generation.readerConnection();
            ListenerSet listeners = core.listeners();
            if (!listeners.isEmpty()) {
                listeners.fire(EngineEvent.Type.CHECKOUT, writer ? "writer" : "reader", null);
            }
            return c;
        } catch (SQLException e) {
            throw failures.failed(core.errors().map(core.name(), writer ? "checking out the writer" : "checking out a reader", e,
                    core.current().latest().summary()));
        }
    }

    /**
     * Returns a unit's connection to its pool. After a failure the database is asked whether a
     * transaction is still open (a failed {@code BEGIN}, {@code COMMIT} or {@code ROLLBACK}).
     */
    void checkIn(PoolGeneration generation, String role, Connection c, boolean clean) {
        boolean evict = false;
        if (!clean && core.transactions().inTransaction(c)) {
            try {
                core.transactions().rollback(c);
            } catch (SQLException e) {
                evict = true;
            }
        }
        try {
            if (evict) {
                generation.evict(role, c);
            }
            c.close();
        } catch (SQLException e) {
            // HikariCP evicts a connection whose reset failed
        }
        ListenerSet listeners = core.listeners();
        if (!listeners.isEmpty()) {
            listeners.fire(EngineEvent.Type.CHECKIN, "", null);
        }
    }
}
