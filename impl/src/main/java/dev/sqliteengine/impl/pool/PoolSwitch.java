package dev.sqliteengine.impl.pool;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.events.EngineMessages;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.figures.PoolMetrics;
import dev.sqliteengine.impl.figures.StatementReuse;
import dev.sqliteengine.impl.jdbc.StatementCache;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.writer.WriterQueue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces an engine's pool generation by a new one, and closes the old one once its work has
 * drained, in the background.
 * <p>
 * Invariants: the new generation is built and validated before anything changes (a failure
 * leaves the engine as it was), and the handover goes through {@link CurrentGeneration}, which
 * publishes it before the old one is retired. The one exception is leaving WAL mode: SQLite needs
 * the only connection to the file for it, so that switch pauses new work, closes the old pools
 * first and then opens the new ones (see {@link #quiescedSwitch}). An old location is released,
 * and its file claim dropped, only after the old generation closed. Not thread safe: the engine
 * calls it under its lifecycle lock only, which also guards {@link #count} and {@link #retiring}.
 */
public final class PoolSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(PoolSwitch.class);

    private final String name;
    private final DatabaseType type;
    /** Which engine holds which database file: every place this engine opens is claimed there. */
    private final FileClaims claims;
    /** The folder databases must lie below, or null. */
    private final Path allowedRoot;
    private final ListenerSet listeners;
    private final WriterQueue gate;
    private final CurrentGeneration current;
    private final PoolMetrics pools;
    private final PoolThreads threads;
    /** The statement caches' engine-wide side, across generations (see {@link StatementCache}). */
    private final StatementReuse statementReuse;
    private int count;
    private final List<Future<?>> retiring = new ArrayList<>();

    public PoolSwitch(String name, DatabaseType type, FileClaims claims, Path allowedRoot, ListenerSet listeners,
            WriterQueue gate, CurrentGeneration current, PoolMetrics pools, StatementReuse statementReuse) {
        this.type = type;
        this.claims = claims;
        this.allowedRoot = allowedRoot;
        this.pools = pools;
        this.statementReuse = statementReuse;
        this.name = name;
        this.listeners = listeners;
        this.gate = gate;
        this.current = current;
        this.threads = new PoolThreads(name);
    }

    /** @return the engine's first generation, opened (the caller starts serving it) */
    public PoolGeneration first(EngineSettings settings, ConnectionSetups setups, DatabasePlace place) {
        return open(settings, setups, place);
    }

    private PoolGeneration open(EngineSettings settings, ConnectionSetups setups, DatabasePlace place) {
        return PoolGeneration.open(++count, settings, setups, type, place, listeners, pools, threads.housekeeping(),
                statementReuse);
    }

    /**
     * Reopens the same settings on the file that is at the path now; the old file's claim stays.
     * The new pools open while the old ones still drain, on the same path. That is safe only
     * because the old file has moved (the caller checked {@link DatabasePlace#fault()}): SQLite's
     * last connection to a moved file neither checkpoints nor deletes {@code <db>-wal} and
     * {@code <db>-shm} by path, which by then are the new pools' (ReplacedFileWalTest holds this).
     */
    public void reopen(PoolGeneration old) {
        DatabasePlace fresh = old.place().reopen(old.settings(), allowedRoot);
        PoolGeneration next;
        try {
            next = open(old.settings(), old.setups(), fresh);
        } catch (RuntimeException e) {
            fresh.release();
            throw e;
        }
        current.switchTo(old, next);
        retireInBackground(old, old.place(), false);
    }

    /**
     * Reopens a database that moved away from its place while a new one is there (a replaced
     * file): new work goes to what is at the place now, and a unit still running on the old
     * generation finishes there, as in any switch. The caller checked that something is there.
     */
    public void reopenMoved(PoolGeneration old, String fault) {
        LOG.warn("[{}] {}; reopening the file now at that path", name, fault);
        reopen(old);
    }

    /**
     * Builds a generation for settings that need new connections and switches to it; the old one
     * drains and closes in the background. Leaving WAL mode is the exception: see
     * {@link #quiescedSwitch}. An engine that {@code FAILED} has no pools to drain: the new
     * generation simply opens, and the engine serves again.
     *
     * @param setups the connection setup hooks of the new generation
     */
    public void replace(PoolGeneration old, EngineSettings next, ConnectionSetups setups) {
        EngineSettings previous = old.settings();
        // The same database, however spelled, keeps its location: an in-memory one its keeper and data.
        DatabasePlace location = old.place().relocate(next, allowedRoot);
        if (location != old.place()) {
            try {
                claims.claim(location.claim(), name);
            } catch (RuntimeException e) {
                location.release(); // nothing claimed, so nothing to release in the registry
                throw e;
            }
        }
        try {
            boolean leavingWal = location == old.place() && location.switchNeedsSoleAccess(previous, next);
            if (current.engineState() == EngineState.FAILED) {
                current.recover(old, open(next, setups, location));
                LOG.info("[{}] serving again after a failure", name);
                retireInBackground(old, location == old.place() ? null : old.place(), true);
            } else if (leavingWal) {
                quiescedSwitch(old, next, setups, location, "leaving WAL mode, which closes the old pools first", fresh -> { });
            } else {
                current.switchTo(old, open(next, setups, location));
                retireInBackground(old, location == old.place() ? null : old.place(), true);
            }
        } catch (RuntimeException e) {
            if (location != old.place()) {
                claims.release(location.claim(), name);
                location.release();
            }
            throw e;
        }
    }

    /**
     * Replaces the database's content with a backup: the same pause as {@link #quiescedSwitch},
     * with the same settings on both sides, and the copy made into the new generation before it
     * serves. Should the copy fail, the new generation serves the old content (the copy is one
     * transaction) and the failure is thrown.
     *
     * @param source the backup, checked by the caller
     * @return the pages copied and the nanoseconds new work was held back
     */
    public long[] restore(PoolGeneration old, java.nio.file.Path source) {
        long[] pages = new long[1];
        long paused = quiescedSwitch(old, old.settings(), old.setups(), old.place(), "restoring a backup",
                fresh -> pages[0] = restoreInto(fresh, source));
        return new long[] {pages[0], paused};
    }

    private long restoreInto(PoolGeneration fresh, java.nio.file.Path source) {
        try (Connection writer = fresh.writerConnection()) {
            return type.upkeep().restore(name, writer, source);
        } catch (SQLException e) {
            throw new EngineException(name, "copying " + source + " into the database failed: " + e.getMessage()
                    + "; the database keeps its previous content", type.errors().code(e), e);
        }
    }

    /**
     * Leaves WAL mode, which needs the only connection to the file: writes pause at the gate, new
     * work waits (parked, at most its connection timeout) while the old pools drain and close, then
     * the new ones open. Work still running on the old pools holds the switch up to
     * {@code drainTimeout}, and whoever waits meanwhile up to {@code osgi.connection.timeout}.
     * <p>
     * A {@code DataSource} transaction that may write holds the gate until it ends, so the switch
     * waits up to {@code osgi.connection.timeout} for it, and is rejected after that with nothing
     * changed.
     * <p>
     * Should the new settings fail to open, the previous ones are opened again and the change is
     * rejected. Should those fail too (the file went bad meanwhile), there is nothing left to serve
     * with: the engine is {@code FAILED}, everyone waiting is released with the reason, and the
     * next configuration update tries again.
     *
     * @param why what the switch does, for the message of an entrant that waited too long
     * @param beforeServing runs on the new generation before it serves; when it throws, the new
     *        generation serves anyway and the failure is thrown
     * @return the nanoseconds new work was held back
     */
    private long quiescedSwitch(PoolGeneration old, EngineSettings next, ConnectionSetups setups,
            DatabasePlace location, String why,
            java.util.function.Consumer<PoolGeneration> beforeServing) {
        // Older generations still draining hold connections to the file too; units keep running
        // on the current one meanwhile.
        awaitRetirements();
        long timeout = old.settings().connectionTimeout();
        try {
            if (!gate.enter(timeout, old.settings().writeQueue(), old.settings().bargeLimit())) {
                throw new ConnectionException(name, "could not pause writes within " + timeout
                        + " ms (osgi.connection.timeout) for " + why + ": a write unit or a DataSource transaction"
                        + " held the writer all that time; nothing was changed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(name, "interrupted while pausing writes for " + why);
        }
        long pausedAt = System.nanoTime();
        try (CurrentGeneration.Pause pause = current.pause(old, why)) {
            if (!old.close(false, old.settings().drainTimeout())) {
                LOG.warn("[{}] work on the previous pool did not finish within drainTimeout={} ms; its connections were closed",
                        name, old.settings().drainTimeout());
            }
            PoolGeneration fresh;
            try {
                fresh = open(next, setups, location);
            } catch (RuntimeException failure) {
                try {
                    pause.resume(open(old.settings(), old.setups(), location));
                } catch (RuntimeException previousToo) {
                    failure.addSuppressed(previousToo);
                    ConnectionException failed = new ConnectionException(name, "leaving WAL mode closed the old pools,"
                            + " and then neither the new settings nor the previous ones could open the database: "
                            + EngineMessages.withoutPrefix(name, failure), type.errors().code(failure), failure);
                    LOG.error("[{}] the engine has FAILED: {}", name, EngineMessages.withoutPrefix(name, failed));
                    pause.fail(failed);
                    throw failed;
                }
                throw failure; // rejected: the engine serves its previous settings again
            }
            try {
                beforeServing.accept(fresh);
            } finally {
                pause.resume(fresh);
            }
            return System.nanoTime() - pausedAt;
        } finally {
            gate.exit();
        }
    }

    /**
     * @param oldLocation the location to release once the old generation closed, or null when the
     *        new generation goes on using it
     * @param releaseClaim whether the old location's file claim goes too (not when the new
     *        generation reopened the same path)
     */
    private void retireInBackground(PoolGeneration old, DatabasePlace oldLocation, boolean releaseClaim) {
        retiring.removeIf(Future::isDone);
        retiring.add(threads.retire(old.number(), () -> {
            boolean drained = old.close(false, old.settings().drainTimeout());
            if (!drained) {
                LOG.warn("[{}] work on the previous pool did not finish within drainTimeout={} ms; its connections were closed",
                        name, old.settings().drainTimeout());
            }
            if (oldLocation != null) {
                if (releaseClaim) {
                    claims.release(oldLocation.claim(), name);
                }
                oldLocation.release();
            }
        }));
    }

    /** Waits until every old generation being closed in the background is closed. */
    public void awaitRetirements() {
        for (Future<?> closing : retiring) {
            try {
                closing.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.warn("[{}] closing a previous pool failed", name, e.getCause());
            }
        }
        retiring.clear();
    }

    /** Ends the background threads of the pools, once the engine closed: every generation is closed by now. */
    public void close() {
        threads.close();
    }

}
