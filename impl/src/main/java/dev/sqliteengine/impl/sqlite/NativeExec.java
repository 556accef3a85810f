package dev.sqliteengine.impl.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;

/**
 * Transaction control on a pooled connection, through {@code sqlite3_exec} on the driver's
 * database handle, and the one question the engine never answers from its own bookkeeping:
 * does SQLite have a transaction open on this connection right now?
 * <p>
 * Why not a JDBC {@code Statement}: it would be created, wrapped and tracked by HikariCP,
 * prepared and finalized every time; measured at about 3 µs for BEGIN plus COMMIT against 1 µs
 * this way. Errors still arrive as {@code SQLiteException}s with their result codes, and
 * {@code busy_timeout} applies.
 * <p>
 * Why ask SQLite: the JDBC auto-commit flag is not SQLite's transaction state. SQLite ends a
 * transaction by itself after some errors ({@code INSERT OR ROLLBACK}, {@code RAISE(ROLLBACK)},
 * {@code SQLITE_FULL}, some I/O errors), and users may begin or end one with SQL. sqlite-jdbc
 * does not expose {@code sqlite3_get_autocommit}, so {@link #inTransaction} asks the way the
 * driver itself does: {@code BEGIN} succeeds only outside a transaction, and is committed at
 * once (a deferred transaction with no statement takes no lock).
 */
final class NativeExec {

    private NativeExec() {}

    static void exec(Connection c, String sql) throws SQLException {
        database(c)._exec(sql);
    }

    /**
     * @return whether SQLite has a transaction open on the connection; true when it cannot tell
     *         (the caller then rolls back, and evicts the connection if that fails too)
     */
    static boolean inTransaction(Connection c) {
        DB db;
        try {
            db = database(c);
            db._exec("BEGIN");
        } catch (SQLException e) {
            return true; // "cannot start a transaction within a transaction", or a broken connection
        }
        try {
            db._exec("COMMIT");
        } catch (SQLException e) {
            // Only with a statement still stepping on the connection; our empty transaction goes.
            try {
                db._exec("ROLLBACK");
            } catch (SQLException again) {
                return true;
            }
        }
        return false;
    }

    private static DB database(Connection c) throws SQLException {
        return c.unwrap(SQLiteConnection.class).getDatabase();
    }
}
