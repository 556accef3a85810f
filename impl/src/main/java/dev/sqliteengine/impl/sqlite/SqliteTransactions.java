package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.Pragma;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Transactions on SQLite, as SQL the engine runs itself through {@link NativeExec}
 * ({@code sqlite3_exec} on the driver's handle).
 * <p>
 * Why SQL and not {@code setAutoCommit(false)}: sqlite-jdbc in IMMEDIATE mode runs
 * {@code BEGIN IMMEDIATE} again right after every commit, so a connection idling in the pool
 * would hold the write lock. The connections stay in auto-commit mode, and a transaction exists
 * exactly between our {@code BEGIN} and our {@code COMMIT}/{@code ROLLBACK}. A write transaction
 * begins {@code IMMEDIATE}: it takes the write lock at once, so it never has to upgrade a read
 * lock (how SQLite deadlocks) and never meets {@code SQLITE_BUSY} in the middle.
 * <p>
 * Read-only is {@code PRAGMA query_only}; a lock wait is {@code busy_timeout}.
 */
final class SqliteTransactions implements TransactionControl {

    @Override
    public void beginRead(Connection c) throws SQLException {
        NativeExec.exec(c, "BEGIN");
    }

    @Override
    public void beginWrite(Connection c) throws SQLException {
        NativeExec.exec(c, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection c) throws SQLException {
        NativeExec.exec(c, "COMMIT");
    }

    @Override
    public void rollback(Connection c) throws SQLException {
        NativeExec.exec(c, "ROLLBACK");
    }

    @Override
    public void execute(Connection c, String sql) throws SQLException {
        NativeExec.exec(c, sql);
    }

    @Override
    public boolean inTransaction(Connection c) {
        return NativeExec.inTransaction(c);
    }

    /** SQLite ends a transaction by itself after some failures; then nothing is open any more. */
    @Override
    public boolean aborted(Connection c) {
        return !inTransaction(c);
    }

    @Override
    public String abortedBy() {
        return "SQLite rolled back";
    }

    @Override
    public String readOnlySwitch() {
        return "PRAGMA query_only";
    }

    @Override
    public void queryOnly(Connection c, boolean on) throws SQLException {
        NativeExec.exec(c, on ? "PRAGMA query_only=1" : "PRAGMA query_only=0");
    }

    @Override
    public void beginNestedRead(Connection c) throws SQLException {
        queryOnly(c, true);
    }

    @Override
    public void endNestedRead(Connection c) throws SQLException {
        queryOnly(c, false);
    }

    @Override
    public boolean limitLockWait(Connection c, long millis, EngineSettings settings) throws SQLException {
        if (millis >= busyTimeout(settings)) {
            return false;
        }
        NativeExec.exec(c, "PRAGMA busy_timeout=" + Math.max(1, millis));
        return true;
    }

    @Override
    public boolean restoreLockWait(Connection c, EngineSettings settings) {
        try {
            NativeExec.exec(c, "PRAGMA busy_timeout=" + busyTimeout(settings));
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** @return SQLite's busy_timeout of every connection, in milliseconds */
    private static long busyTimeout(EngineSettings settings) {
        return Long.parseLong(settings.pragmas().get(Pragma.BUSY_TIMEOUT));
    }
}
