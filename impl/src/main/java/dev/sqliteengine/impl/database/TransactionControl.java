package dev.sqliteengine.impl.database;

import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How transactions begin and end on a database type's physical connections, and the one question
 * the engine never answers from its own bookkeeping: is a transaction open on this connection
 * right now? Every pooled connection rests in the driver's auto-commit mode; a transaction exists
 * exactly between a {@code begin} here and a {@link #commit}/{@link #rollback} here (or SQL the
 * engine's wrappers saw), so a connection idling in its pool holds no transaction, no lock and no
 * snapshot. A type may send its {@code BEGIN} with the transaction's first statement (PostgreSQL)
 * rather than at once; for the engine the transaction is open from the {@code begin} on.
 * <p>
 * The methods take HikariCP's pooled connection (or the driver's own); none of them closes it.
 * Failures are the driver's {@link SQLException}s, for {@link ErrorCodes} to read.
 */
public interface TransactionControl {

    /** Begins a transaction that only reads: one consistent snapshot, no write lock. */
    void beginRead(Connection c) throws SQLException;

    /**
     * Begins a transaction that may write, holding whatever the database needs so that its first
     * write does not fail for another writer (SQLite: the write lock, at once).
     */
    void beginWrite(Connection c) throws SQLException;

    void commit(Connection c) throws SQLException;

    void rollback(Connection c) throws SQLException;

    /**
     * Runs one transaction control statement the engine writes itself ({@code SAVEPOINT},
     * {@code RELEASE}, {@code ROLLBACK TO}), by the cheapest way the driver offers.
     */
    void execute(Connection c, String sql) throws SQLException;

    /**
     * @return whether the database has a transaction open on the connection, a failed one
     *         included; true when it cannot tell (the caller then rolls back, and evicts the
     *         connection if that fails too)
     */
    boolean inTransaction(Connection c);

    /**
     * Asked after a statement failed inside a transaction: can the transaction still do more
     * than roll back? SQLite ends a transaction by itself after some failures (a full disk);
     * PostgreSQL keeps a failed transaction open, refusing every statement until it rolls back
     * to a savepoint taken before the failure, or as a whole.
     *
     * @return true when the transaction can no longer run statements nor commit: the database
     *         ended it, or failed it; false while it goes on as before the failure
     */
    boolean aborted(Connection c);

    /**
     * @return how messages say that the database {@linkplain #aborted aborted} a transaction, as
     *         the subject and verb of a sentence whose object is the transaction: {@code SQLite
     *         rolled back}, {@code PostgreSQL aborted}
     */
    String abortedBy();

    /**
     * @return how messages name the SQL that would switch a connection's read-only mode, which
     *         only the engine may run ({@code SqlKind.QUERY_ONLY}): {@code PRAGMA query_only} on
     *         SQLite
     */
    String readOnlySwitch();

    /**
     * Makes the connection refuse writes, or write again: a read-only {@code DataSource}
     * connection, and a read unit nested in a write unit.
     */
    void queryOnly(Connection c, boolean on) throws SQLException;

    /**
     * Makes a write transaction refuse writes while a read unit nested in it runs; it still sees
     * the transaction's own changes. {@link #endNestedRead} lets it write again.
     */
    void beginNestedRead(Connection c) throws SQLException;

    /**
     * Lets the write transaction write again after {@link #beginNestedRead}. The nested read
     * changed nothing, so nothing of the transaction is lost; on PostgreSQL a failure inside the
     * read is undone too (the transaction rolls back to where the read began).
     */
    void endNestedRead(Connection c) throws SQLException;

    /**
     * Bounds how long the connection's next statements wait for another process's lock, for a
     * write unit with less time left than the configured wait; {@link #restoreLockWait} must follow.
     *
     * @param millis the most a statement may wait, at least 1
     * @return whether the bound was lowered (false: the configured wait is shorter already)
     */
    boolean limitLockWait(Connection c, long millis, EngineSettings settings) throws SQLException;

    /**
     * @return false when the connection could not get its configured lock wait back, so it must
     *         not be used again (the caller evicts it)
     */
    boolean restoreLockWait(Connection c, EngineSettings settings);
}
