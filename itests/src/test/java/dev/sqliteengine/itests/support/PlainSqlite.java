package dev.sqliteengine.itests.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteDataSource;

/** A database file seen from outside any engine, through a plain sqlite-jdbc connection. */
public final class PlainSqlite {

    private PlainSqlite() {}

    /** @return a plain connection to the file; never waits for a lock */
    public static Connection open(Path file) throws SQLException {
        SQLiteDataSource plain = new SQLiteDataSource();
        plain.setUrl("jdbc:sqlite:" + file);
        Connection c = plain.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=0");
        }
        return c;
    }

    /**
     * Takes the file for this connection alone, as a tool or a backup would: an exclusive lock and
     * an exclusive transaction, then out of WAL mode (which SQLite allows only to the file's only
     * connection). Fails with SQLITE_BUSY while anyone else still has the file open.
     */
    public static void takeExclusively(Path file) throws SQLException {
        try (Connection c = open(file); Statement s = c.createStatement()) {
            s.execute("PRAGMA locking_mode=EXCLUSIVE");
            s.execute("BEGIN EXCLUSIVE");
            s.execute("COMMIT");
            try (var r = s.executeQuery("PRAGMA journal_mode=DELETE")) {
                r.next();
                String mode = r.getString(1);
                if (!"delete".equalsIgnoreCase(mode)) {
                    throw new SQLException(file + " stayed in journal mode " + mode + ": another connection has it open");
                }
            }
        }
    }

    /** @return the number of rows in a table of the file */
    public static long count(Path file, String table) throws SQLException {
        try (Connection c = open(file)) {
            return Engines.count(c, table);
        }
    }
}
