package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.database.Upkeep;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the engine does to keep a PostgreSQL database healthy: nothing on a schedule, since the
 * server checkpoints, vacuums and analyzes by itself (autovacuum), and its files are the server's.
 * An operator's request to refresh the planner's statistics runs {@code ANALYZE}. Backups and
 * restores are refused, naming the server's tools that make them: an engine's backup copies a
 * SQLite file.
 */
final class PostgresqlUpkeep implements Upkeep {

    private static final String BACKUP_TOOLS = "an engine of type=postgresql is backed up with the server's tools:"
            + " pg_dump for a logical copy (restored with pg_restore or psql), pg_basebackup for a physical one";

    @Override
    public boolean maintains(EngineSettings settings) {
        return false;
    }

    @Override
    public boolean watchesFiles() {
        return false;
    }

    @Override
    public boolean checkpoints(EngineSettings settings) {
        return false;
    }

    /** @return none: the server checkpoints by itself */
    @Override
    public List<String> checkpointModes() {
        return List.of();
    }

    @Override
    public CheckpointFigures checkpoint(Connection writer, String mode) throws SQLException {
        throw new SQLFeatureNotSupportedException("the PostgreSQL server runs its checkpoints itself", "0A000");
    }

    /** {@code ANALYZE} of the whole database: the server's autovacuum does it too, when it judges a table changed enough. */
    @Override
    public void optimize(Connection writer, boolean bounded) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("ANALYZE");
        }
    }

    /** @return 0: the server gives space back itself (autovacuum) */
    @Override
    public long vacuumStep(Connection writer, int pages) {
        return 0;
    }

    @Override
    public String checkName() {
        return "the server's own checks (pg_amcheck)";
    }

    @Override
    public List<String> check(ConnectionManager units, AtomicReference<Statement> running) {
        throw new IllegalStateException("the engine does not check a PostgreSQL server's files (watchesFiles() is false)");
    }

    /** @return whether the code is a SQLSTATE of damaged data: {@code XX001} data corrupted, {@code XX002} index corrupted */
    @Override
    public boolean isDamage(int code) {
        return code == SqlStates.pack("XX001") || code == SqlStates.pack("XX002");
    }

    @Override
    public BackupResult backup(String engine, ConnectionManager units, Path target, Path allowedRoot) {
        throw new EngineException(engine, "backup to " + target + " refused: " + BACKUP_TOOLS);
    }

    @Override
    public Path restorable(String engine, Path source, DatabasePlace current, Path allowedRoot) {
        throw new EngineException(engine, "restore from " + source + " refused: " + BACKUP_TOOLS);
    }

    @Override
    public long restore(String engine, Connection writer, Path source) {
        throw new EngineException(engine, "restore from " + source + " refused: " + BACKUP_TOOLS);
    }
}
