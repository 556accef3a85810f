package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * Transactions on PostgreSQL through pgjdbc, on connections that rest in auto-commit mode.
 * <p>
 * <b>A transaction begins with its first statement, in the same message.</b> {@link #beginRead}
 * and {@link #beginWrite} send nothing: they switch pgjdbc to manual-commit mode, in which pgjdbc
 * puts a plain {@code BEGIN} in front of the next statement and sends both in one round trip.
 * So a unit costs the round trips of its own statements and its {@code COMMIT}, as the same
 * work by hand through pgjdbc does (a separate {@code BEGIN} was one round trip more for every
 * unit, a third of a one-statement read's). A plain {@code BEGIN} takes the session's defaults,
 * so the isolation and read-only mode come from how the connection was set up, once:
 * <ul>
 * <li>Write transactions: the configured isolation, read-write, by the start-up options of every
 * connection ({@code ServerPlace.options}).</li>
 * <li>Read transactions: {@code REPEATABLE READ READ ONLY} (one snapshot for the whole unit, as
 * on SQLite, and never a serialization failure): by the start-up options of the readers (and of
 * every connection of a read-only engine), and by {@link #queryOnly} for a read-only
 * {@code DataSource} connection. {@code beginRead} asserts it (with {@code -ea}: one query).</li>
 * </ul>
 * PostgreSQL takes a transaction's snapshot at its first statement, not at {@code BEGIN}, so
 * beginning there changes nothing of what a transaction sees; and a unit that runs no statement
 * costs no round trip at all.
 * <p>
 * Whether a transaction is open, and whether it failed, is pgjdbc's own record of the server's
 * answers ({@link BaseConnection#getTransactionState()}: IDLE, OPEN, FAILED) together with its
 * mode: a connection in manual-commit mode is in a transaction whose {@code BEGIN} has not gone
 * out yet, which {@link #inTransaction} counts as open and {@link #aborted} as able to run
 * statements. Asking costs no round trip.
 * <p>
 * Invariant: {@link #commit} (when it succeeds) and {@link #rollback} (when it returns) leave the
 * connection in auto-commit mode and out of any transaction, so a connection goes back to its
 * pool as it came (pgjdbc's aliveness check would otherwise begin a transaction on an idle
 * connection). When they throw, the connection still counts as {@link #inTransaction}, which
 * makes the engine roll back, or evict the connection.
 * <ul>
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

    /** The session defaults of a connection for read transactions; see {@link #queryOnly}. */
    static final String ONE_SNAPSHOT_ISOLATION = "repeatable read";

    @Override
    public void beginRead(Connection c) throws SQLException {
        BaseConnection pg = pg(c);
        assert readsOneSnapshot(pg) : "a read transaction would begin on a connection whose transactions are not "
                + ONE_SNAPSHOT_ISOLATION + " and read-only by default";
        pg.setAutoCommit(false);
    }

    @Override
    public void beginWrite(Connection c) throws SQLException {
        pg(c).setAutoCommit(false);
    }

    /** @throws SQLException with SQLSTATE 25P02 for a failed transaction, which the server would roll back instead */
    @Override
    public void commit(Connection c) throws SQLException {
        BaseConnection pg = pg(c);
        if (pg.getTransactionState() == TransactionState.FAILED) {
            throw new SQLException("the transaction failed after an error inside it, so COMMIT would roll it back;"
                    + " nothing of it is committed", "25P02");
        }
        if (pg.getAutoCommit()) {
            if (pg.getTransactionState() != TransactionState.IDLE) {
                pg.execSQLUpdate("COMMIT"); // a transaction begun as SQL on a DataSource connection
            }
        } else {
            pg.commit(); // sends COMMIT only if the BEGIN went out with a statement
            pg.setAutoCommit(true); // nothing is open now: sends nothing
        }
        assert pg.getAutoCommit() && pg.getTransactionState() == TransactionState.IDLE;
    }

    @Override
    public void rollback(Connection c) throws SQLException {
        BaseConnection pg = pg(c);
        if (pg.getAutoCommit()) {
            if (pg.getTransactionState() != TransactionState.IDLE) {
                pg.execSQLUpdate("ROLLBACK"); // a transaction begun as SQL on a DataSource connection
            }
        } else {
            pg.rollback(); // sends ROLLBACK only if the BEGIN went out with a statement
            pg.setAutoCommit(true);
        }
        assert pg.getAutoCommit() && pg.getTransactionState() == TransactionState.IDLE;
    }

    @Override
    public void execute(Connection c, String sql) throws SQLException {
        exec(c, sql);
    }

    /**
     * @return true while a transaction is open, failed or about to begin with the next statement;
     *         true too for a connection closed under the engine (through the unwrapped driver's
     *         connection), which cannot be asked and whose pgjdbc record says IDLE, so the caller
     *         evicts it
     */
    @Override
    public boolean inTransaction(Connection c) {
        try {
            BaseConnection pg = pg(c);
            return pg.isClosed() || pg.getTransactionState() != TransactionState.IDLE || !pg.getAutoCommit();
        } catch (SQLException | RuntimeException e) {
            return true;
        }
    }

    /** @return true for a failed transaction (only a rollback helps) and for none at all */
    @Override
    public boolean aborted(Connection c) {
        try {
            BaseConnection pg = pg(c);
            TransactionState state = pg.getTransactionState();
            return state == TransactionState.FAILED || state == TransactionState.IDLE && pg.getAutoCommit();
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

    /**
     * The session's defaults for the transactions that follow; called outside a transaction. On:
     * what a read unit's transaction is ({@link #beginRead}). Off: the defaults the connection
     * started with (its start-up options), for the next user of a {@code DataSource} connection.
     */
    @Override
    public void queryOnly(Connection c, boolean on) throws SQLException {
        exec(c, on ? "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                : "RESET default_transaction_isolation; RESET default_transaction_read_only");
    }

    /** One round trip: pgjdbc sends the two statements in one message. */
    @Override
    public void beginNestedRead(Connection c) throws SQLException {
        exec(c, "SAVEPOINT " + NESTED_READ + "; SET LOCAL transaction_read_only = on");
    }

    /** One round trip, as {@link #beginNestedRead}. */
    @Override
    public void endNestedRead(Connection c) throws SQLException {
        exec(c, "ROLLBACK TO SAVEPOINT " + NESTED_READ + "; RELEASE SAVEPOINT " + NESTED_READ);
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

    /**
     * Runs SQL of the engine's own. In a transaction whose {@code BEGIN} has not gone out yet (a
     * {@code SAVEPOINT} first thing in a unit), through a statement, which sends the {@code BEGIN}
     * with it; otherwise by pgjdbc's {@code execSQLUpdate}, which never begins one.
     */
    private static void exec(Connection c, String sql) throws SQLException {
        BaseConnection pg = pg(c);
        if (pg.getAutoCommit() || pg.getTransactionState() != TransactionState.IDLE) {
            pg.execSQLUpdate(sql);
        } else {
            try (Statement s = pg.createStatement()) {
                s.executeUpdate(sql);
            }
        }
    }

    /** @return whether the connection's transactions are, by default, what {@link #beginRead} promises */
    private static boolean readsOneSnapshot(BaseConnection pg) {
        try (Statement s = pg.createStatement(); ResultSet r = s.executeQuery("SELECT"
                + " current_setting('default_transaction_isolation'), current_setting('default_transaction_read_only')")) {
            return r.next() && ONE_SNAPSHOT_ISOLATION.equals(r.getString(1)) && "on".equals(r.getString(2));
        } catch (SQLException e) {
            return true; // the connection's trouble shows at its first statement
        }
    }

    /** @return pgjdbc's connection under HikariCP's (or the engine's) */
    private static BaseConnection pg(Connection c) throws SQLException {
        return c instanceof BaseConnection pg ? pg : c.unwrap(BaseConnection.class);
    }
}
