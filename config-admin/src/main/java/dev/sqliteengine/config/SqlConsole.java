package dev.sqliteengine.config;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.SqlWork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL behind {@code engine:query}, {@code engine:checkpoint} and {@code engine:backup}: each
 * runs as one unit of work on an engine and returns text for the shell.
 */
final class SqlConsole {

    private SqlConsole() {}

    /**
     * Runs one statement: in a read unit (query-only) unless {@code write}, in a write
     * transaction otherwise.
     *
     * @param limit the most rows to fetch and show, at least 1
     * @return the rows as a table, or the number of changed rows
     */
    static String query(Engine engine, String sql, boolean write, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("[" + engine.name() + "] the row limit must be at least 1, got " + limit);
        }
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("[" + engine.name() + "] no SQL statement given");
        }
        SqlWork<String> work = connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.setMaxRows(limit + 1);
                if (!statement.execute(sql)) {
                    int count = statement.getUpdateCount();
                    return count < 0 ? "OK" : count + (count == 1 ? " row" : " rows") + " changed";
                }
                try (ResultSet rows = statement.getResultSet()) {
                    return table(rows, limit);
                }
            }
        };
        ConnectionManager connections = engine.connections();
        return write ? connections.write(work) : connections.read(work);
    }

    private static String table(ResultSet rows, int limit) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<String> headers = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            headers.add(meta.getColumnLabel(i));
        }
        TableFormatter table = new TableFormatter(headers);
        boolean more = false;
        while (rows.next()) {
            if (table.rowCount() == limit) {
                more = true;
                break;
            }
            List<Object> cells = new ArrayList<>(headers.size());
            for (int i = 1; i <= headers.size(); i++) {
                cells.add(rows.getObject(i));
            }
            table.row(cells);
        }
        int count = table.rowCount();
        String footer = more
                ? "(first " + count + " rows shown; more were not fetched: raise --limit)"
                : "(" + count + (count == 1 ? " row)" : " rows)");
        return table.format() + "\n" + footer;
    }

    /**
     * {@code PRAGMA wal_checkpoint(TRUNCATE)}. SQLite refuses a checkpoint inside a transaction
     * (SQLITE_LOCKED), and a write unit is one ({@code BEGIN IMMEDIATE}), so it runs on a pooled
     * connection in auto-commit mode; SQLite's busy handler lets it wait for the writer.
     *
     * @return the result row: busy (1 if a reader or writer kept it from completing), the WAL's
     *         size in frames and the frames checkpointed
     */
    static String checkpoint(Engine engine) {
        try (Connection connection = engine.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            if (!row.next()) {
                return "[" + engine.name() + "] checkpoint returned no result";
            }
            int busy = row.getInt(1);
            return "[" + engine.name() + "] checkpoint (TRUNCATE): busy=" + busy + ", log=" + row.getInt(2)
                    + ", checkpointed=" + row.getInt(3)
                    + (busy != 0 ? " (another connection kept it from completing; try again)" : "");
        } catch (SQLException e) {
            throw new EngineException(engine.name(), "checkpoint failed: " + e.getMessage(), e.getErrorCode(), e);
        }
    }

    /**
     * An online backup of the live database with SQLite's backup API (sqlite-jdbc's
     * {@code backup to <file>} statement), run on a reader so that writers go on meanwhile.
     *
     * @param target the new file; it must not exist, missing parent folders are created
     * @return where the backup went and its size
     */
    static String backup(Engine engine, Path target) {
        Path file = target.toAbsolutePath().normalize();
        String text = file.toString();
        String quoted = text.indexOf('"') < 0 ? '"' + text + '"' : text.indexOf('\'') < 0 ? "'" + text + "'" : null;
        if (quoted == null) {
            throw new IllegalArgumentException("[" + engine.name() + "] a backup file name cannot hold both kinds of quote: " + text);
        }
        if (Files.exists(file)) {
            throw new IllegalArgumentException("[" + engine.name() + "] " + file + " exists; back up to a new file");
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new EngineException(engine.name(), "cannot create the folder for " + file + ": " + e.getMessage());
        }
        engine.connections().read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("backup to " + quoted);
            }
            return null;
        });
        return "[" + engine.name() + "] backed up to " + file + " (" + size(file) + " bytes)";
    }

    /** @return the file's size in bytes, or -1 when it does not exist */
    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
