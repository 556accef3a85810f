package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.jdbc.StatementCache;
import dev.sqliteengine.impl.jdbc.StatementCaches;
import dev.sqliteengine.impl.jdbc.StatementLog;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The transaction of one outermost unit of work, shared by the units nested in it on the same
 * thread: the pooled connection it runs on, and what the nesting and SQLite have done to it.
 * <p>
 * Invariants, held by {@link EngineConnectionManager} and {@link UnitConnection}:
 * <ul>
 * <li>Between the unit's {@code BEGIN} and its {@code COMMIT}/{@code ROLLBACK}, SQLite has a
 * transaction open on {@link #connection}, unless {@link #aborted} is set: SQLite ended it by
 * itself after a failed statement, and from then on no statement runs on the connection until
 * the outermost unit ends, so nothing that follows can commit on its own in auto-commit mode.</li>
 * <li>{@link #reads} counts the read units running inside this write unit; while it is above
 * zero the connection is query-only, and a write unit nested there is refused.</li>
 * </ul>
 * Confined to the thread that runs the unit.
 */
final class UnitTransaction {

    final Connection connection;
    /** How transactions begin, end and are asked about on the engine's database. */
    final TransactionControl transactions;
    final boolean write;
    final String engine;
    final StatementLog statements;
    /** Savepoints of nested write units now open. */
    int savepoints;
    /** Read units now running inside this write unit. */
    int reads;
    /** The failure after which SQLite had no transaction open any more; null while it has. */
    SQLException aborted;
    /** The generation's statement caches. */
    final StatementCaches caches;
    /** The connection's statement cache, found at the unit's first prepare; null before, or when off. */
    private StatementCache cache;
    /** Whether a handle of this unit gave out the driver's connection or statement. */
    boolean unwrapped;

    UnitTransaction(Connection connection, TransactionControl transactions, boolean write, String engine,
            StatementLog statements, StatementCaches caches) {
        this.connection = connection;
        this.transactions = transactions;
        this.write = write;
        this.engine = engine;
        this.statements = statements;
        this.caches = caches;
    }

    /** @return the connection's statement cache, or null when the engine caches none */
    StatementCache statementCache() throws SQLException {
        if (cache == null) {
            cache = caches.of(connection);
        }
        return cache;
    }

    /**
     * Called when the unit ended, before its connection goes back to the pool: takes back the
     * statements lent from the cache that are still open.
     */
    void endStatements() {
        if (cache != null) {
            cache.reclaimAll();
        }
        if (unwrapped) {
            caches.schemaChanged(); // the driver's connection may have run DDL past our statements
        }
    }

    /** @return whether statements may only read right now */
    boolean readOnly() {
        return !write || reads > 0;
    }

    /** Asks the database, after a failure, whether the transaction is still there. */
    void failed(SQLException failure) {
        if (aborted == null && !transactions.inTransaction(connection)) {
            aborted = failure;
        }
    }

    /** @return the error for a statement that comes after SQLite ended the unit's transaction */
    SQLException abortedError() {
        return new SQLException("[" + engine + "] SQLite rolled back the unit's whole transaction after an earlier"
                + " failure (" + aborted.getMessage() + "); no further statement runs in this unit, and nothing of it"
                + " is committed", "40000", aborted);
    }
}
