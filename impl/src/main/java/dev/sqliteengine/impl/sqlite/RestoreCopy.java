package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.EngineException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Copies a backup file into a generation's database through its writer connection, with SQLite's
 * backup API in the restore direction (source: the file, opened read-only by the driver).
 * <p>
 * SQLite writes the destination in one write transaction that commits only when the last page is
 * copied: a copy that fails leaves the database as it was. Runs while the engine is paused
 * (the pool switch's restore), so nothing else writes and no read sees a half-copied file.
 * <p>
 * The driver's restore reports the source connection's result code, not the copy's, so success
 * is not taken from it: afterwards the database must have the source's page size and page count.
 * A WAL database cannot take another page size at all, which is refused before the copy, by name.
 */
final class RestoreCopy {

    private RestoreCopy() {}

    /** @return the pages copied */
    public static long into(String engine, Connection writer, Path source) {
        String keeps = "; the database keeps its previous content";
        try {
            long[] wanted;
            try (Connection file = readOnly(source)) {
                wanted = shape(file);
            }
            long[] before = shape(writer);
            boolean wal = "wal".equalsIgnoreCase(text(writer, "PRAGMA journal_mode"));
            if (wal && wanted[0] != before[0]) {
                throw new EngineException(engine, source + " has page_size=" + wanted[0] + ", and a database in WAL mode"
                        + " cannot take another page size than its own (" + before[0] + ")" + keeps);
            }
            int rc = OnlineBackup.driver(writer).getDatabase().restore("main", source.toString(), null, 100, 3,
                    OnlineBackup.PAGES_PER_STEP);
            long[] after = shape(writer);
            if (rc != 0 && rc != ResultCodes.SQLITE_DONE || after[0] != wanted[0] || after[1] != wanted[1]) {
                throw new EngineException(engine, "copying " + source + " into the database did not complete (result code "
                        + rc + ", " + after[1] + " of " + wanted[1] + " pages)" + keeps, rc, null);
            }
            return after[1];
        } catch (SQLException e) {
            throw new EngineException(engine, "copying " + source + " into the database failed: " + e.getMessage() + keeps,
                    ResultCodes.of(e), e);
        }
    }

    private static Connection readOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
        return source.getConnection();
    }

    /** @return page size and page count */
    private static long[] shape(Connection c) throws SQLException {
        return new long[] {Long.parseLong(text(c, "PRAGMA page_size")), Long.parseLong(text(c, "PRAGMA page_count"))};
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : "";
        }
    }
}
