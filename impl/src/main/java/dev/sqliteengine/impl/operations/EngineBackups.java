package dev.sqliteengine.impl.operations;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.RestoreResult;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.pool.CurrentGeneration;
import dev.sqliteengine.impl.pool.PoolSwitch;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.transactions.EngineCore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * An engine's backups on demand and its restores: {@code Engine.backup(Path)} and
 * {@code Engine.restore(Path)}, with the database type's {@code Upkeep}. A backup or restore that fails once begun is an
 * {@code ERROR} event as well.
 * <p>
 * Locking: a backup takes no engine lock (it is a read unit). A restore
 * takes the engine's lifecycle lock, the very object that serialises reconfiguration and close,
 * and under it {@link PoolSwitch#restore} takes the writer gate: lifecycle before gate, as
 * everywhere in the engine.
 */
public final class EngineBackups {

    /** The engine's logger: whoever follows an engine's log by its category keeps seeing its backups. */
    private final Logger log;
    private final EngineCore engine;
    /** The engine's units of work: a backup reads one snapshot in a read unit. */
    private final ConnectionManager units;
    private final Path allowedRoot;
    private final ListenerSet listeners;
    private final CurrentGeneration current;
    /** The engine's lifecycle lock. */
    private final Object lifecycle;
    /** Used under {@link #lifecycle} only. */
    private final PoolSwitch generations;

    public EngineBackups(EngineCore engine, ConnectionManager units, Path allowedRoot, Object lifecycle,
            PoolSwitch generations, Logger log) {
        this.engine = engine;
        this.units = units;
        this.allowedRoot = allowedRoot;
        this.listeners = engine.listeners();
        this.current = engine.current();
        this.lifecycle = lifecycle;
        this.generations = generations;
        this.log = log;
    }

    public BackupResult backup(Path target) {
        Objects.requireNonNull(target, "target");
        String name = engine.name();
        try {
            BackupResult result = engine.type().upkeep().backup(name, units, target, allowedRoot);
            log.info("[{}] backed up to {} ({} pages)", name, result.file(), result.pages());
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
    public RestoreResult restore(Path source) {
        Objects.requireNonNull(source, "source");
        String name = engine.name();
        EngineSettings settings = current.latest().settings();
        if (settings.readOnly() || settings.inMemory()) {
            throw new EngineException(name, "a backup can only be restored into a writable file database, not into "
                    + (settings.readOnly() ? "a read-only engine (readOnly=true)" : "an in-memory one"));
        }
        try {
            Path file = engine.type().upkeep().restorable(name, source, current.latest().place(), allowedRoot);
            synchronized (lifecycle) {
                current.requireRunning();
                long[] copied = generations.restore(current.latest(), file);
                Duration paused = Duration.ofNanos(copied[1]);
                log.info("[{}] restored {} ({} pages; new work paused {} ms)", name, file, copied[0], paused.toMillis());
                return new RestoreResult(name, file, copied[0], paused);
            }
        } catch (EngineException e) {
            listeners.fire(EngineEvent.Type.ERROR, e.getMessage(), e);
            throw e;
        }
    }
}
