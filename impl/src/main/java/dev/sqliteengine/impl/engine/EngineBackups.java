package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.RestoreResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine's backups on demand and its restores: {@link SqliteEngine#backup(Path)} and
 * {@link SqliteEngine#restore(Path)}. A backup or restore that fails once begun is an
 * {@code ERROR} event as well.
 * <p>
 * Locking: a backup takes no engine lock (it is a read unit, see {@link OnlineBackup}). A restore
 * takes the engine's lifecycle lock, the very object that serialises reconfiguration and close,
 * and under it {@link PoolSwitch#restore} takes the writer gate: lifecycle before gate, as
 * everywhere in the engine.
 */
final class EngineBackups {

    /** The engine's logger: whoever follows an engine's log by its category keeps seeing its backups. */
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEngine.class);

    private final SqliteEngine engine;
    private final Path allowedRoot;
    private final ListenerSet listeners;
    private final CurrentGeneration current;
    /** The engine's lifecycle lock (see {@link SqliteEngine}). */
    private final Object lifecycle;
    /** Used under {@link #lifecycle} only. */
    private final PoolSwitch generations;

    EngineBackups(SqliteEngine engine, Path allowedRoot, ListenerSet listeners, CurrentGeneration current,
            Object lifecycle, PoolSwitch generations) {
        this.engine = engine;
        this.allowedRoot = allowedRoot;
        this.listeners = listeners;
        this.current = current;
        this.lifecycle = lifecycle;
        this.generations = generations;
    }

    BackupResult backup(Path target) {
        Objects.requireNonNull(target, "target");
        String name = engine.name();
        try {
            BackupResult result = OnlineBackup.run(engine, target, allowedRoot);
            LOG.info("[{}] backed up to {} ({} pages)", name, result.file(), result.pages());
            return result;
        } catch (EngineException e) {
            listeners.fire(EngineEvent.Type.ERROR, e.getMessage(), e);
            throw e;
        }
    }

    /**
     * The file is checked before the lifecycle lock is taken, so a bad file never pauses anyone;
     * the pause itself is {@link PoolSwitch#restore}, under the lock, like a reconfiguration.
     */
    RestoreResult restore(Path source) {
        Objects.requireNonNull(source, "source");
        String name = engine.name();
        EngineSettings settings = current.latest().settings();
        if (settings.readOnly() || settings.inMemory()) {
            throw new EngineException(name, "a backup can only be restored into a writable file database, not into "
                    + (settings.readOnly() ? "a read-only engine (readOnly=true)" : "an in-memory one"));
        }
        try {
            Path file = DatabasePath.realBelowRoot(name, source.toAbsolutePath().normalize(), allowedRoot,
                    "a backup to restore");
            if (file.equals(current.latest().location().file())) {
                throw new EngineException(name, source + " is the engine's own database file; restore from a backup");
            }
            BackupCheck.requireHealthy(name, file, true, "the backup to restore");
            synchronized (lifecycle) {
                current.requireRunning();
                long[] copied = generations.restore(current.latest(), file);
                Duration paused = Duration.ofNanos(copied[1]);
                LOG.info("[{}] restored {} ({} pages; new work paused {} ms)", name, file, copied[0], paused.toMillis());
                return new RestoreResult(name, file, copied[0], paused);
            }
        } catch (EngineException e) {
            listeners.fire(EngineEvent.Type.ERROR, e.getMessage(), e);
            throw e;
        }
    }
}
