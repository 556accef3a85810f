package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.Pragma;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Writes the pragmas of the file ({@link Pragma#ofFile()}: {@code page_size}, {@code auto_vacuum})
 * into a new database before any pool opens on it.
 * <p>
 * Why here and not with the other pragmas: SQLite fixes both when it writes the first page, and
 * the driver applies its pragmas in no particular order, so {@code journal_mode=WAL} could write
 * that page first. And they must never be set on pool connections (see {@link Pragma#ofFile()}).
 * So a new (absent or empty) file gets one plain connection that sets them and writes the header,
 * before anything else touches the file. An existing file keeps what it has; when that differs
 * from the configuration, the engine says so once, in the log, with how to change it.
 */
final class NewFile {

    private static final Logger LOG = LoggerFactory.getLogger(NewFile.class);

    private NewFile() {}

    /** @throws dev.sqliteengine.api.ConnectionException when the file cannot be written */
    public static void prepare(EngineSettings settings, DatabaseLocation location) {
        if (location.inMemory() || settings.readOnly()) {
            return;
        }
        SQLiteDataSource plain = new SQLiteDataSource(new SQLiteConfig());
        plain.setUrl(location.url());
        String pageSize = settings.pragmas().get(Pragma.PAGE_SIZE);
        String autoVacuum = settings.pragmas().get(Pragma.AUTO_VACUUM);
        try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
            if (isEmpty(location)) {
                // Both are only recorded until the first page is written, which user_version does.
                s.execute("PRAGMA page_size=" + pageSize);
                s.execute("PRAGMA auto_vacuum=" + autoVacuum);
                s.execute("PRAGMA user_version=0");
                return;
            }
            String actualPageSize = single(s, "PRAGMA page_size");
            String actualVacuum = switch (single(s, "PRAGMA auto_vacuum")) {
                case "1" -> "FULL";
                case "2" -> "INCREMENTAL";
                default -> "NONE";
            };
            if (!actualPageSize.equals(pageSize) || !actualVacuum.equals(autoVacuum)) {
                LOG.warn("[{}] the file has page_size={} and auto_vacuum={}, the configuration asks for {} and {}: these"
                        + " are properties of the file and change only with a VACUUM run on a connection that set them"
                        + " (page_size not in WAL mode)", settings.name(), actualPageSize, actualVacuum, pageSize,
                        autoVacuum);
            }
        } catch (SQLException e) {
            throw ResultCodes.mapped(settings.name(), "preparing the database file", e, "");
        }
    }

    private static boolean isEmpty(DatabaseLocation location) {
        try {
            return !Files.exists(location.file()) || Files.size(location.file()) == 0;
        } catch (IOException e) {
            return false; // opening it will tell
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : "";
        }
    }
}
