package dev.sqliteengine.impl.operations;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.events.EngineMessages;
import dev.sqliteengine.impl.transactions.EngineCore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The operations an engine's management interface (its MXBean) offers. Each runs on a connection
 * of the engine's {@code DataSource}, so it waits its turn in the writer queue like any write and
 * never meets the engine's own writer as SQLITE_BUSY.
 */
public final class ManagementOperations {

    private final EngineCore engine;
    private final DataSource dataSource;

    /** @param dataSource the engine's own {@code DataSource}, whose connections queue for the writer */
    public ManagementOperations(EngineCore engine, DataSource dataSource) {
        this.engine = engine;
        this.dataSource = dataSource;
    }

    /**
     * Runs a checkpoint (SQLite: {@code PRAGMA wal_checkpoint(mode)}) and records its outcome as
     * the engine's last checkpoint, whether it completed, was kept from completing by readers or
     * writers, or failed.
     *
     * @param mode one of the database type's checkpoint modes, in any case
     * @return the outcome
     * @throws IllegalArgumentException for another mode, naming the engine and the modes allowed
     * @throws EngineException when the checkpoint fails, with the database's error code
     */
    public CheckpointFigures checkpoint(String mode) {
        List<String> modes = engine.type().upkeep().checkpointModes();
        if (modes.isEmpty()) {
            throw new EngineException(engine.name(), "checkpoints are not the engine's on type=" + engine.type().name()
                    + ": the database server runs them itself (an administrator may run CHECKPOINT as SQL)");
        }
        String upper = String.valueOf(mode).trim().toUpperCase(Locale.ROOT);
        if (!modes.contains(upper)) {
            throw new IllegalArgumentException("[" + engine.name() + "] checkpoint mode " + mode
                    + " is invalid: one of " + String.join(", ", modes));
        }
        try (Connection c = dataSource.getConnection()) {
            CheckpointFigures done = engine.type().upkeep().checkpoint(c, upper);
            engine.metrics().lastCheckpoint = done;
            return done;
        } catch (SQLException e) {
            EngineException failure = engine.errors().map(engine.name(), "checkpoint (" + upper + ")", e, "");
            engine.metrics().lastCheckpoint = new CheckpointFigures(Instant.now(), upper, false, -1, -1,
                    Optional.of(EngineMessages.withoutPrefix(engine.name(), failure)));
            engine.metrics().failed(failure);
            throw failure;
        }
    }

    /**
     * Lets the database refresh the statistics its query planner needs where they are stale (SQLite:
     * {@code PRAGMA optimize}).
     *
     * @throws EngineException when it fails, with the database's error code
     */
    public void optimize() {
        try (Connection c = dataSource.getConnection()) {
            engine.type().upkeep().optimize(c, false);
        } catch (SQLException e) {
            EngineException failure = engine.errors().map(engine.name(), "PRAGMA optimize", e, "");
            engine.metrics().failed(failure);
            throw failure;
        }
    }
}
