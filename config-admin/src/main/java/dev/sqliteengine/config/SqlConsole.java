package dev.sqliteengine.config;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.RestoreResult;
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
 * The SQL behind {@code engine:query}, {@code engine:checkpoint}, {@code engine:backup} and {@code engine:restore}: each
 * runs as one unit of work on an engine and returns text for the shell.
 */
final class SqlConsole {

    private static final int SQLITE_BUSY = 5;

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
                // one more than shown tells whether there were more; at Integer.MAX_VALUE, no limit
                statement.setMaxRows(limit == Integer.MAX_VALUE ? 0 : limit + 1);
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
     * @return the result row: busy (0), the WAL's size in frames and the frames checkpointed
     * @throws EngineException with SQLite's extended result code, shown in the message too, when
     *         the checkpoint fails, or when a reader or writer kept it from completing (busy=1,
     *         which is SQLITE_BUSY); without a code for an engine of {@code type=postgresql},
     *         whose server checkpoints by itself
     */
    static String checkpoint(Engine engine) {
        if (EngineReport.isServer(engine.status())) {
            throw new EngineException(engine.name(), "engine:checkpoint checkpoints a SQLite database's write-ahead log;"
                    + " a PostgreSQL server runs its checkpoints itself (its checkpoint_timeout and max_wal_size settings,"
                    + " or CHECKPOINT run by a superuser)");
        }
        try (Connection connection = engine.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            if (!row.next()) {
                throw new EngineException(engine.name(), "checkpoint returned no result");
            }
            int busy = row.getInt(1);
            String figures = "busy=" + busy + ", log=" + row.getInt(2) + ", checkpointed=" + row.getInt(3);
            if (busy != 0) {
                throw new EngineException(engine.name(), "checkpoint (TRUNCATE) did not complete (SQLITE_BUSY, "
                        + SQLITE_BUSY + "): " + figures + "; another connection kept it from completing, try again",
                        SQLITE_BUSY, null);
            }
            return "[" + engine.name() + "] checkpoint (TRUNCATE): " + figures;
        } catch (SQLException e) {
            ResultCodes.Code code = ResultCodes.of(e);
            throw new EngineException(engine.name(), "checkpoint failed (" + code + "): " + e.getMessage(), code.code(), e);
        }
    }

    /**
     * An online backup of the live database: {@link Engine#backup(Path)}, which copies with
     * SQLite's backup API on a reader (writers go on meanwhile), writes the copy readable and
     * writable by its owner only, checks it with {@code PRAGMA integrity_check} and moves it into
     * place. The shell checks the allowed root first, with its own message; the engine checks again.
     *
     * @param target the new file, absolute; it must not exist, missing parent folders are created
     * @param paths where the shell may write
     * @return where the backup went and its size
     */
    static String backup(Engine engine, Path target, ShellPaths paths) {
        Path file = target.toAbsolutePath().normalize();
        paths.requireBelowRoot(engine.name(), file, "a backup");
        BackupResult result = engine.backup(file);
        return "[" + engine.name() + "] backed up to " + TerminalText.escape(result.file().toString()) + " ("
                + result.bytes() + " bytes, " + result.pages() + " pages, integrity_check ok)";
    }

    /**
     * Replaces the live database with a backup: {@link Engine#restore(Path)}. The file must be a
     * healthy SQLite database below the allowed root; the engine's services stay registered.
     *
     * @param source the backup file, absolute
     * @param paths where the shell may read
     * @return what was restored and how long work paused
     */
    static String restore(Engine engine, Path source, ShellPaths paths) {
        Path file = source.toAbsolutePath().normalize();
        paths.requireBelowRoot(engine.name(), file, "a backup to restore");
        RestoreResult result = engine.restore(file);
        return "[" + engine.name() + "] restored from " + TerminalText.escape(result.source().toString()) + " ("
                + result.pages() + " pages; new work paused " + result.paused().toMillis() + " ms)";
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
