package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces an engine's pool generation by a new one, and closes the old one once its work has
 * drained, in the background.
 * <p>
 * Invariants: the new generation is built and validated before anything changes (a failure
 * leaves the engine as it was); it is published before the old one is retired (see
 * {@link PoolGeneration}); an old location is released, and its file claim dropped, only after
 * the old generation closed. Not thread safe: the engine calls it under its lifecycle lock only,
 * which also guards {@link #count} and {@link #retiring}.
 */
final class PoolSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(PoolSwitch.class);

    private final String name;
    private final EngineRegistry registry;
    private final ListenerSet listeners;
    private final WriterGate gate;
    private final Consumer<PoolGeneration> publish;
    private int count;
    private final List<Thread> retiring = new ArrayList<>();

    /**
     * @param publish makes a generation the engine's current one
     */
    PoolSwitch(String name, EngineRegistry registry, ListenerSet listeners, WriterGate gate,
            Consumer<PoolGeneration> publish) {
        this.name = name;
        this.registry = registry;
        this.listeners = listeners;
        this.gate = gate;
        this.publish = publish;
    }

    /** @return the engine's first generation, opened (the caller publishes it) */
    PoolGeneration first(EngineSettings settings, DatabaseLocation location) {
        return PoolGeneration.open(++count, settings, location, listeners);
    }

    /** Reopens the same settings on the file that is at the path now; the old file's claim stays. */
    void reopen(PoolGeneration old) {
        DatabaseLocation fresh = old.location().reopen(old.settings(), registry.allowedRoot());
        publish.accept(PoolGeneration.open(++count, old.settings(), fresh, listeners)); // before retiring
        old.retire();
        retireInBackground(old, old.location(), false);
    }

    /**
     * Builds a generation for settings that need new connections and switches to it; the old one
     * drains and closes in the background. Leaving WAL mode is the exception: SQLite needs the only
     * connection to the file for it, so writes pause at the gate while the old pools close first.
     */
    void replace(PoolGeneration old, EngineSettings next) {
        EngineSettings previous = old.settings();
        // The same database, however spelled, keeps its location: an in-memory one its keeper and data.
        DatabaseLocation location = old.location().relocate(next, registry.allowedRoot());
        if (location != old.location()) {
            try {
                registry.claimFile(location.file(), name);
            } catch (RuntimeException e) {
                location.release(); // nothing claimed, so nothing to release in the registry
                throw e;
            }
        }
        try {
            boolean leavingWal = "WAL".equals(previous.pragmas().get(Pragma.JOURNAL_MODE))
                    && !"WAL".equals(next.pragmas().get(Pragma.JOURNAL_MODE)) && location == old.location();
            if (leavingWal) {
                // Leaving WAL needs the only connection to the file: quiesce first (writers wait
                // at the gate), close the old pools, then open the new ones.
                quiescedSwitch(old, next, location);
            } else {
                PoolGeneration fresh = PoolGeneration.open(++count, next, location, listeners);
                publish.accept(fresh); // before retiring: see PoolGeneration's invariants
                old.retire();
                retireInBackground(old, location == old.location() ? null : old.location(), true);
            }
        } catch (RuntimeException e) {
            if (location != old.location()) {
                registry.releaseFile(location.file(), name);
                location.release();
            }
            throw e;
        }
    }

    private void quiescedSwitch(PoolGeneration old, EngineSettings next, DatabaseLocation location) {
        long timeout = old.settings().connectionTimeout();
        try {
            if (!gate.enter(timeout, true)) {
                throw new ConnectionException(name, "could not pause writes within " + timeout + " ms to leave WAL mode");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(name, "interrupted while pausing writes to leave WAL mode");
        }
        try {
            old.retire();
            awaitRetirements();
            old.close(false, old.settings().drainTimeout());
            try {
                publish.accept(PoolGeneration.open(++count, next, location, listeners));
            } catch (RuntimeException e) {
                // Put the previous settings back so the engine keeps serving.
                publish.accept(PoolGeneration.open(++count, old.settings(), location, listeners));
                throw e;
            }
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
    private void retireInBackground(PoolGeneration old, DatabaseLocation oldLocation, boolean releaseClaim) {
        Thread closer = new Thread(() -> {
            boolean drained = old.close(false, old.settings().drainTimeout());
            if (!drained) {
                LOG.warn("[{}] work on the previous pool did not finish within drainTimeout={} ms; its connections were closed",
                        name, old.settings().drainTimeout());
            }
            if (oldLocation != null) {
                if (releaseClaim) {
                    registry.releaseFile(oldLocation.file(), name);
                }
                oldLocation.release();
            }
        }, "sqlite-engine-" + name + "-retire-" + old.number());
        closer.setDaemon(true);
        retiring.removeIf(t -> !t.isAlive());
        retiring.add(closer);
        closer.start();
    }

    /** Waits until every old generation being closed in the background is closed. */
    void awaitRetirements() {
        for (Thread t : retiring) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        retiring.clear();
    }

}
