package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Whether a file is a healthy SQLite database: its header says so and SQLite's
 * {@code PRAGMA integrity_check} answers {@code ok}. A fresh backup is checked before it is
 * reported done; a file to restore is checked, opened read-only, before the engine pauses.
 */
final class BackupCheck {

    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private BackupCheck() {}

    /**
     * @param readOnly whether to open the file read-only (a file to restore is never changed);
     *        otherwise the file (a fresh backup) is also switched to {@code journal_mode=DELETE}
     * @param what what the file is, as the message names it
     * @throws EngineException naming the file and what is wrong with it
     */
    public static void requireHealthy(String engine, Path file, boolean readOnly, String what) {
        if (!Files.isRegularFile(file)) {
            throw new EngineException(engine, what + " " + file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(HEADER.length);
            if (!Arrays.equals(start, HEADER)) {
                throw new EngineException(engine, what + " " + file + " is not an SQLite database (its first bytes"
                        + " are not the SQLite header)", ResultCodes.SQLITE_NOTADB, null);
            }
        } catch (IOException e) {
            throw new EngineException(engine, what + " " + file + " cannot be read: " + e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            StringBuilder problems = new StringBuilder();
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check(10)")) {
                while (r.next()) {
                    problems.append(problems.length() == 0 ? "" : "; ").append(r.getString(1));
                }
            }
            if (!"ok".contentEquals(problems)) {
                throw new EngineException(engine, what + " " + file + " failed PRAGMA integrity_check: " + problems,
                        ResultCodes.SQLITE_CORRUPT, null);
            }
            if (!readOnly) {
                s.execute("PRAGMA journal_mode=DELETE");
            }
        } catch (SQLException e) {
            throw new EngineException(engine, what + " " + file + " is not a healthy SQLite database: " + e.getMessage(),
                    ResultCodes.of(e), e);
        }
    }
}
