package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The operations an engine's management interface (its MXBean) offers. Each runs on a connection
 * of the engine's {@code DataSource}, so it waits its turn in the writer queue like any write and
 * never meets the engine's own writer as SQLITE_BUSY.
 */
public final class ManagementOperations {

    /** The modes of {@code PRAGMA wal_checkpoint}. */
    public static final Set<String> CHECKPOINT_MODES = Set.of("PASSIVE", "FULL", "RESTART", "TRUNCATE");

    private ManagementOperations() {}

    /**
     * Runs {@code PRAGMA wal_checkpoint(mode)} and records its outcome as the engine's last
     * checkpoint, whether it completed, was kept from completing by readers or writers, or failed.
     *
     * @param mode one of {@link #CHECKPOINT_MODES}, in any case
     * @return the outcome
     * @throws IllegalArgumentException for another mode, naming the engine and the modes allowed
     * @throws EngineException when the checkpoint fails, with SQLite's result code
     */
    public static CheckpointFigures checkpoint(SqliteEngine engine, String mode) {
        String upper = String.valueOf(mode).trim().toUpperCase(Locale.ROOT);
        if (!CHECKPOINT_MODES.contains(upper)) {
            throw new IllegalArgumentException("[" + engine.name() + "] checkpoint mode " + mode
                    + " is invalid: one of PASSIVE, FULL, RESTART, TRUNCATE");
        }
        EngineMetrics metrics = engine.metrics();
        try (Connection c = engine.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("PRAGMA wal_checkpoint(" + upper + ")")) {
            row.next();
            return recordCheckpoint(metrics, upper, row);
        } catch (SQLException e) {
            EngineException failure = SqlErrors.map(engine.name(), "checkpoint (" + upper + ")", e, "");
            metrics.lastCheckpoint = new CheckpointFigures(Instant.now(), upper, false, -1, -1,
                    Optional.of(SqlErrors.withoutPrefix(engine.name(), failure)));
            metrics.failed(failure);
            throw failure;
        }
    }

    /**
     * Records the row of a {@code PRAGMA wal_checkpoint} as the engine's last checkpoint: the
     * management operation's, and scheduled maintenance's.
     *
     * @param row positioned on the pragma's one row: busy, WAL pages, pages checkpointed
     */
    static CheckpointFigures recordCheckpoint(EngineMetrics metrics, String mode, ResultSet row) throws SQLException {
        CheckpointFigures done = new CheckpointFigures(Instant.now(), mode, row.getInt(1) == 0, row.getLong(2),
                row.getLong(3), Optional.empty());
        metrics.lastCheckpoint = done;
        return done;
    }

    /**
     * Runs {@code PRAGMA optimize}: SQLite analyses the tables whose statistics are stale, so the
     * query planner chooses well.
     *
     * @throws EngineException when it fails, with SQLite's result code
     */
    public static void optimize(SqliteEngine engine) {
        try (Connection c = engine.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA optimize");
        } catch (SQLException e) {
            EngineException failure = SqlErrors.map(engine.name(), "PRAGMA optimize", e, "");
            engine.metrics().failed(failure);
            throw failure;
        }
    }
}
