package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.database.Upkeep;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.Pragma;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SQLite's upkeep: WAL checkpoints, {@code PRAGMA optimize}, incremental vacuum,
 * {@code PRAGMA quick_check}, and backups and restores with SQLite's backup API
 * ({@link OnlineBackup}, {@link RestoreCopy}, checked by {@link BackupCheck}).
 */
final class SqliteUpkeep implements Upkeep {

    /** The modes of {@code PRAGMA wal_checkpoint}. */
    private static final List<String> CHECKPOINT_MODES = List.of("PASSIVE", "FULL", "RESTART", "TRUNCATE");

    /** @return true: the engine checks SQLite's file and watches its WAL */
    @Override
    public boolean watchesFiles() {
        return true;
    }

    /** Nothing of a read-only or in-memory database is ours to checkpoint, optimize or vacuum. */
    @Override
    public boolean maintains(EngineSettings settings) {
        return !settings.readOnly() && !settings.inMemory();
    }

    @Override
    public boolean checkpoints(EngineSettings settings) {
        return "WAL".equals(settings.pragmas().get(Pragma.JOURNAL_MODE));
    }

    @Override
    public List<String> checkpointModes() {
        return CHECKPOINT_MODES;
    }

    /** The pragma's one row: busy (0 when it completed), WAL pages, pages checkpointed. */
    @Override
    public CheckpointFigures checkpoint(Connection writer, String mode) throws SQLException {
        try (Statement s = writer.createStatement(); ResultSet row = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            row.next();
            return new CheckpointFigures(Instant.now(), mode, row.getInt(1) == 0, row.getLong(2), row.getLong(3),
                    Optional.empty());
        }
    }

    @Override
    public void optimize(Connection writer, boolean bounded) throws SQLException {
        if (!bounded) {
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA optimize");
            }
            return;
        }
        // analysis_limit keeps the ANALYZE that optimize may run short on large tables.
        NativeExec.exec(writer, "PRAGMA analysis_limit=400");
        try {
            NativeExec.exec(writer, "PRAGMA optimize=0x10002"); // 0x10000: every table, not only recently used ones
        } finally {
            NativeExec.exec(writer, "PRAGMA analysis_limit=0");
        }
    }

    @Override
    public long vacuumStep(Connection writer, int pages) throws SQLException {
        // freelist_count first: it reads the header, and auto_vacuum only answers from the last read.
        if (single(writer, "PRAGMA freelist_count") == 0 || single(writer, "PRAGMA auto_vacuum") != 2) {
            return 0;
        }
        NativeExec.exec(writer, "PRAGMA incremental_vacuum(" + pages + ")");
        return single(writer, "PRAGMA freelist_count");
    }

    @Override
    public String checkName() {
        return "PRAGMA quick_check";
    }

    @Override
    public List<String> check(ConnectionManager units, AtomicReference<Statement> running) {
        List<String> problems = units.read(c -> {
            try (Statement s = c.createStatement()) {
                running.set(s);
                try (ResultSet r = s.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
                    List<String> out = new ArrayList<>();
                    while (r.next()) {
                        // SQLite may put several problems in one row, one a line, under a
                        // "*** in database main ***" heading
                        for (String line : String.valueOf(r.getString(1)).split("\\R")) {
                            if (!line.isBlank() && !line.startsWith("***")) {
                                out.add(line.trim());
                            }
                        }
                    }
                    return out;
                }
            } finally {
                running.set(null);
            }
        });
        return problems.equals(List.of("ok")) ? List.of() : problems;
    }

    @Override
    public boolean isDamage(int code) {
        int primary = code & 0xff;
        return code != EngineException.NO_RESULT_CODE
                && (primary == ResultCodes.SQLITE_CORRUPT || primary == ResultCodes.SQLITE_NOTADB);
    }

    @Override
    public BackupResult backup(String engine, ConnectionManager units, Path target, Path allowedRoot) {
        return OnlineBackup.run(engine, units, target, allowedRoot);
    }

    @Override
    public Path restorable(String engine, Path source, DatabasePlace current, Path allowedRoot) {
        Path file = DatabasePath.realBelowRoot(engine, source.toAbsolutePath().normalize(), allowedRoot,
                "a backup to restore");
        if (file.equals(current.claim())) {
            throw new EngineException(engine, source + " is the engine's own database file; restore from a backup");
        }
        BackupCheck.requireHealthy(engine, file, true, "the backup to restore");
        return file;
    }

    @Override
    public long restore(String engine, Connection writer, Path source) {
        return RestoreCopy.into(engine, writer, source);
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }
}
