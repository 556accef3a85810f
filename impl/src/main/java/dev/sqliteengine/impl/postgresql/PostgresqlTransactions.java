package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Transactions on PostgreSQL, as SQL the engine runs itself through pgjdbc's
 * {@code execSQLUpdate}, on connections that stay in auto-commit mode (as on SQLite: a transaction
 * exists exactly between the engine's {@code BEGIN} and its {@code COMMIT}/{@code ROLLBACK}).
 * Whether one is open, and whether it failed, is pgjdbc's own record of the server's answers
 * ({@link BaseConnection#getTransactionState()}: IDLE, OPEN, FAILED), so asking costs no round
 * trip.
 * <ul>
 * <li>Write transactions begin with a plain {@code BEGIN}: the connection's start-up options set
 * the configured isolation. Read units begin {@code REPEATABLE READ READ ONLY}: one snapshot for
 * the whole unit, as on SQLite, and never a serialization failure.</li>
 * <li>A statement that fails fails the transaction (PostgreSQL's rule): the engine sees FAILED as
 * {@link #aborted}. {@code COMMIT} of a failed transaction would silently roll back, so
 * {@link #commit} refuses it instead.</li>
 * <li>A read unit nested in a write unit: PostgreSQL cannot make a transaction read-write again
 * once it was made read-only, so the read runs under a savepoint with
 * {@code SET LOCAL transaction_read_only = on}, and ends by rolling back to it (the read changed
 * nothing), which undoes the setting.</li>
 * <li>Lock waits are {@code lock_timeout}.</li>
 * </ul>
 */
final class PostgresqlTransactions implements TransactionControl {

    /** The savepoint of a read unit nested in a write unit; at most one is open (the outermost such read). */
    private static final String NESTED_READ = "engine_nested_read";

    @Override
    public void beginRead(Connection c) throws SQLException {
        exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }

    @Override
    public void beginWrite(Connection c) throws SQLException {
        exec(c, "BEGIN");
    }

    /** @throws SQLException with SQLSTATE 25P02 for a failed transaction, which the server would roll back instead */
    @Override
    public void commit(Connection c) throws SQLException {
        BaseConnection pg = pg(c);
        if (pg.getTransactionState() == TransactionState.FAILED) {
            throw new SQLException("the transaction failed after an error inside it, so COMMIT would roll it back;"
                    + " nothing of it is committed", "25P02");
        }
        pg.execSQLUpdate("COMMIT");
    }

    @Override
    public void rollback(Connection c) throws SQLException {
        exec(c, "ROLLBACK");
    }

    @Override
    public void execute(Connection c, String sql) throws SQLException {
        exec(c, sql);
    }

    /**
     * A connection closed under the engine (through the unwrapped driver's connection) cannot be
     * asked, and pgjdbc's record of a closed one says IDLE: true, so the caller evicts it.
     */
    @Override
    public boolean inTransaction(Connection c) {
        try {
            BaseConnection pg = pg(c);
            return pg.isClosed() || pg.getTransactionState() != TransactionState.IDLE;
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    /** @return true for a failed transaction (only a rollback helps) and for none at all */
    @Override
    public boolean aborted(Connection c) {
        try {
            return pg(c).getTransactionState() != TransactionState.OPEN;
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    @Override
    public String abortedBy() {
        return "PostgreSQL aborted";
    }

    @Override
    public String readOnlySwitch() {
        return "SET or RESET of the read-only mode (transaction_read_only, default_transaction_read_only)";
    }

    /** The session's default for the transactions that follow; called outside a transaction. */
    @Override
    public void queryOnly(Connection c, boolean on) throws SQLException {
        exec(c, on ? "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
                : "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
    }

    @Override
    public void beginNestedRead(Connection c) throws SQLException {
        exec(c, "SAVEPOINT " + NESTED_READ);
        exec(c, "SET LOCAL transaction_read_only = on");
    }

    @Override
    public void endNestedRead(Connection c) throws SQLException {
        exec(c, "ROLLBACK TO SAVEPOINT " + NESTED_READ);
        exec(c, "RELEASE SAVEPOINT " + NESTED_READ);
    }

    @Override
    public boolean limitLockWait(Connection c, long millis, EngineSettings settings) throws SQLException {
        long configured = settings.postgresql().lockTimeout();
        if (configured != 0 && millis >= configured) {
            return false;
        }
        exec(c, "SET lock_timeout = " + Math.max(1, millis));
        return true;
    }

    @Override
    public boolean restoreLockWait(Connection c, EngineSettings settings) {
        try {
            exec(c, "SET lock_timeout = " + settings.postgresql().lockTimeout());
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        pg(c).execSQLUpdate(sql);
    }

    /** @return pgjdbc's connection under HikariCP's (or the engine's) */
    private static BaseConnection pg(Connection c) throws SQLException {
        return c instanceof BaseConnection pg ? pg : c.unwrap(BaseConnection.class);
    }
}
