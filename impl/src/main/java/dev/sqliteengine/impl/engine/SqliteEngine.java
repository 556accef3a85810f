package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHistory;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.RestoreResult;
import dev.sqliteengine.api.SqlWork;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.events.EngineMessages;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.figures.EngineMetrics;
import dev.sqliteengine.impl.figures.HistoryRecorder;
import dev.sqliteengine.impl.jdbc.StatementLog;
import dev.sqliteengine.impl.operations.EngineBackups;
import dev.sqliteengine.impl.operations.EngineMaintenance;
import dev.sqliteengine.impl.operations.HealthMonitor;
import dev.sqliteengine.impl.operations.ManagementOperations;
import dev.sqliteengine.impl.pool.ConnectionSetups;
import dev.sqliteengine.impl.pool.CurrentGeneration;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.pool.PoolSwitch;
import dev.sqliteengine.impl.replicas.ReadRouter;
import dev.sqliteengine.impl.replicas.ReplicaHealth;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.transactions.ClientCheckout;
import dev.sqliteengine.impl.transactions.EngineConnectionManager;
import dev.sqliteengine.impl.transactions.EngineCore;
import dev.sqliteengine.impl.transactions.EngineDataSource;
import dev.sqliteengine.impl.transactions.SharedWriter;
import dev.sqliteengine.impl.writer.GroupCommitQueue;
import dev.sqliteengine.impl.writer.SoleWriter;
import dev.sqliteengine.impl.writer.WriterQueue;
import dev.sqliteengine.impl.writer.WriterSlots;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running engine: a stable front ({@link #dataSource()}, {@link #connections()}, this object)
 * over the current {@link PoolGeneration}, which a configuration change may replace.
 * <p>
 * Concurrency: {@link #lifecycle} serialises reconfiguration, a change of connection setup hooks,
 * reopening a moved file, a restore ({@link EngineBackups}) and close. Under it the engine asks its setup source for the hooks, so
 * that source must never call the engine while it holds a lock of its own.
 * Units of work take it only to reopen a moved file, and never while they hold the writer gate
 * (a switch leaving WAL mode takes the gate under it). Units find the generation to run on
 * through {@link #current}, which also holds the engine's state; see {@link CurrentGeneration}
 * for the handover protocol.
 */
public final class SqliteEngine implements Engine {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteEngine.class);

    private final String name;
    private final EngineRegistry registry;
    /** The engine's database type, its seam to the driver; fixed for the engine's life. */
    private final DatabaseType type;
    private final ListenerSet listeners;
    /** What is logged of the statements run; changed in place by a reconfiguration. */
    private final StatementLog statements;
    private final EngineMetrics metrics;
    private final WriterQueue gate;
    /** The write units' queue in front of the writer queue (group commit, one writer only). */
    private final GroupCommitQueue units;
    /** The parts the units, the DataSource connections and the operations share. */
    private final EngineCore core;
    private final ClientCheckout checkout;
    private final EngineConnectionManager manager;
    private final EngineDataSource dataSource;
    private final HealthMonitor health;
    private final HistoryRecorder history;

    private final Object lifecycle = new Object();
    /** Used under {@link #lifecycle} only. */
    private final PoolSwitch generations;

    private final CurrentGeneration current;
    /** The connection setup hooks that apply to this engine now, asked on every change of them. */
    private final Function<String, ConnectionSetups> setupSource;
    private final EngineMaintenance maintenance;
    private final EngineStatusSource status;
    private final EngineBackups backups;
    private final ManagementOperations management;

    private SqliteEngine(String name, DatabaseType type, EngineRegistry registry,
            Function<String, ConnectionSetups> setupSource) {
        this.name = name;
        this.type = type;
        this.registry = registry;
        this.setupSource = setupSource;
        this.listeners = new ListenerSet(name);
        this.statements = new StatementLog(name);
        this.current = new CurrentGeneration(name);
        this.metrics = new EngineMetrics(type.errors());
        ReadRouter reads = new ReadRouter(type.replication());
        // Its size follows write.connections, from the first settings on (see open, reconfigure).
        this.gate = type.oneWriter() ? new SoleWriter(metrics::queued) : new WriterSlots(1, metrics::queued);
        this.units = new GroupCommitQueue(metrics::queued);
        this.core = new EngineCore(name, type, current, gate, units, metrics, listeners, statements, reads);
        this.checkout = new ClientCheckout(current, new SharedWriter(name, gate, units, listeners, statements, metrics, reads),
                listeners, metrics, type.errors());
        this.manager = new EngineConnectionManager(core, this::reopenMovedFile);
        this.dataSource = new EngineDataSource(name, current, checkout);
        this.generations = new PoolSwitch(name, type, registry.files(), registry.allowedRoot(), listeners, gate, current,
                metrics.pools, metrics.statementReuse);
        this.status = new EngineStatusSource(name, current, metrics, this::writersWaiting);
        this.history = new HistoryRecorder(name, metrics.readUnits, metrics.writeUnits, metrics.queueWait,
                () -> current.latest().place().walFile());
        // the history samples what the health sampler reads anyway: no thread or status read of its own
        this.health = new HealthMonitor(this, () -> history.observe(status.read(false)), () -> settings().health(),
                this::writersWaiting, registry.healthThreads(), type.upkeep(),
                () -> ReplicaHealth.of(current.latest().replicas(), reads));
        this.maintenance = new EngineMaintenance(core, manager, registry.scheduler(), registry.allowedRoot());
        this.backups = new EngineBackups(core, manager, registry.allowedRoot(), lifecycle, generations, LOG);
        this.management = new ManagementOperations(core, dataSource);
    }

    /**
     * Opens an engine: claims its name and file, opens and validates every pool. Nothing is left
     * claimed or open when this throws.
     *
     * @throws ConfigurationException when the name or file is taken or the path cannot be used
     * @throws ConnectionException when the database cannot be opened
     */
    public static SqliteEngine open(EngineSettings settings, EngineRegistry registry) {
        return open(settings, registry, List.of(), engine -> ConnectionSetups.NONE, null);
    }

    /**
     * Opens an engine that hears the given listeners from the start, the {@code connected}
     * events of its first connections included, and sets up its connections with the hooks
     * that {@code setups} gives for its name (asked now, and again on each
     * {@link #refreshConnectionSetups()}).
     *
     * @see #open(EngineSettings, EngineRegistry)
     */
    public static SqliteEngine open(EngineSettings settings, EngineRegistry registry,
            Collection<? extends EngineListener> listeners, Function<String, ConnectionSetups> setups) {
        return open(settings, registry, listeners, setups, null);
    }

    static SqliteEngine open(EngineSettings settings, EngineRegistry registry, SqlWork<String> firstRead) {
        return open(settings, registry, List.of(), engine -> ConnectionSetups.NONE, firstRead);
    }

    /**
     * @param firstRead the first read unit, which proves that the pools work; its result is the
     *        database version that status shows (a parameter so that tests can make this last step
     *        fail); null for the database type's own
     */
    private static SqliteEngine open(EngineSettings settings, EngineRegistry registry,
            Collection<? extends EngineListener> listeners, Function<String, ConnectionSetups> setups,
            SqlWork<String> firstRead) {
        DatabaseType type = registry.typeOf(settings);
        SqliteEngine engine = new SqliteEngine(settings.name(), type, registry, setups);
        listeners.forEach(engine::addListener);
        engine.statements.apply(settings.statementLog());
        engine.gate.resize(settings.writeConnections());
        // Every step that takes something pushes how to give it back, so a failure at any later
        // step, the last one included, gives back everything taken so far, newest first.
        Deque<Runnable> undo = new ArrayDeque<>();
        undo.push(engine.generations::close); // the pools' threads: run last, after the pools closed
        try {
            registry.claimName(settings.name(), engine);
            undo.push(() -> registry.releaseName(settings.name(), engine));
            DatabasePlace location = type.open(settings, registry.allowedRoot());
            undo.push(location::release);
            registry.files().claim(location.claim(), settings.name());
            undo.push(() -> registry.files().release(location.claim(), settings.name()));
            PoolGeneration first = engine.generations.first(settings, setups.apply(settings.name()), location);
            undo.push(() -> first.close(false, 0));
            engine.current.start(first);
            engine.status.sqliteVersion(engine.manager.read(firstRead != null ? firstRead : type::version));
            engine.health.start();
            engine.maintenance.schedule(settings);
            // The JVM links a record's equals on its first call, and that took 37-43 ms: every
            // live update compares settings first, so the first one of a JVM paid it (see
            // BENCHMARKS.md, "Pool switches"). Opening pays it instead, where no update waits.
            boolean linked = settings.equals(settings);
            assert linked;
            warnIgnored(settings, List.of());
            return engine;
        } catch (RuntimeException | Error e) {
            engine.health.close();
            engine.current.close();
            undo.addLast(engine.current::closed); // runs last, after the pools closed
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException | Error alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
            }
            throw e;
        }
    }

    /** @return the writers waiting now: write units in their queue, and the others at the gate */
    private int writersWaiting() {
        return units.waiting() + gate.waiting();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public Connection connect() {
        return checkout.connect();
    }

    @Override
    public ConnectionManager connections() {
        return manager;
    }

    /** The current settings. */
    public EngineSettings settings() {
        return current.latest().settings();
    }

    @Override
    public void addListener(EngineListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(EngineListener listener) {
        listeners.remove(listener);
    }

    @Override
    public EngineHealth health() {
        return health.health();
    }

    @Override
    public EngineStatus status() {
        return status.read(true);
    }

    @Override
    public EngineHistory history() {
        return history.history();
    }

    /**
     * Applies new settings. Sizes and timeouts change in place; anything that needs new
     * connections gets a new pool generation, built and validated before the switch, while the
     * old one drains in the background. An invalid change throws and leaves the engine as it was.
     * On an engine that {@link EngineState#FAILED}, any settings, the same ones included, are an
     * attempt to open new pools and serve again.
     *
     * @return whether anything changed
     * @throws ConfigurationException or {@link ConnectionException} when the new settings cannot
     *         work; the engine keeps its previous settings, and the rejection shows in
     *         {@link #status()} and as a {@code REJECTED} event
     */
    public boolean reconfigure(EngineSettings next) {
        synchronized (lifecycle) {
            boolean failed = current.engineState() == EngineState.FAILED;
            if (!failed) {
                current.requireRunning();
            }
            PoolGeneration old = current.latest();
            EngineSettings previous = old.settings();
            if (!previous.name().equals(next.name())) {
                throw new IllegalArgumentException("[" + name + "] an engine cannot be renamed in place to " + next.name());
            }
            if (!previous.type().equals(next.type())) {
                ConfigurationException e = new ConfigurationException(name, EngineProperties.TYPE, next.type(),
                        previous.type() + ": an engine keeps its type for its whole life; close it and open a new one"
                                + " (in OSGi, the engine's component does so when its configuration's type changes)");
                reject(e);
                throw e;
            }
            if (previous.equals(next) && !failed) {
                return false;
            }
            try {
                if (!previous.needsNewPool(next) && !failed) {
                    old.resize(next);
                } else {
                    // A failed engine starts over with the hooks registered now, like with its settings.
                    generations.replace(old, next, failed ? setupSource.apply(name) : old.setups());
                }
            } catch (EngineException e) {
                reject(e);
                throw e;
            }
            gate.resize(next.writeConnections());
            warnIgnored(next, previous.ignored());
            statements.apply(next.statementLog());
            status.applied();
            maintenance.schedule(next);
            metrics.reconfigurations.increment();
            LOG.info("[{}] reconfigured", name);
            listeners.fire(EngineEvent.Type.RECONFIGURED, "new settings in effect", null);
            return true;
        }
    }

    /**
     * Applies the connection setup hooks that apply to this engine now, if they differ from those
     * of the current connections: a new pool generation, switched to like for
     * {@link #reconfigure} with settings that need new connections. Does nothing unless the
     * engine is running. A hook that fails on the new generation's first connections leaves the
     * engine serving as it was; the failure is logged and recorded like a rejected configuration.
     *
     * @return whether the engine switched to new hooks
     */
    public boolean refreshConnectionSetups() {
        synchronized (lifecycle) {
            if (current.engineState() != EngineState.RUNNING) {
                return false; // closing, or failed: its next configuration update asks for the hooks
            }
            PoolGeneration old = current.latest();
            ConnectionSetups next = setupSource.apply(name);
            if (next.equals(old.setups())) {
                return false;
            }
            try {
                generations.replace(old, old.settings(), next);
            } catch (EngineException e) {
                LOG.error("[{}] connection setup hooks {} not applied; the engine keeps its connections and hooks {}: {}",
                        name, next, old.setups(), EngineMessages.withoutPrefix(name, e));
                reject(e);
                return false;
            }
            status.applied();
            metrics.reconfigurations.increment();
            LOG.info("[{}] connection setup hooks now {}", name, next);
            listeners.fire(EngineEvent.Type.RECONFIGURED, "connection setup hooks now " + next, null);
            return true;
        }
    }

    /**
     * Says once, at WARN, which properties of another database type the settings set, when they
     * are not those said before: they take no effect, and nobody should believe they do. Names
     * only, never values (one may be a password).
     */
    private static void warnIgnored(EngineSettings settings, List<String> saidBefore) {
        if (!settings.ignored().isEmpty() && !settings.ignored().equals(saidBefore)) {
            LOG.warn("[{}] type={} ignores {}: {} of another database type; remove them, or change type to use them",
                    settings.name(), settings.type(), String.join(", ", settings.ignored()),
                    settings.ignored().size() == 1 ? "a property" : "properties");
        }
    }

    /** Records a configuration that was refused before it reached {@link #reconfigure}. */
    public void reject(EngineException why) {
        status.rejected(why.getMessage());
        listeners.fire(EngineEvent.Type.REJECTED, why.getMessage(), why);
    }

    /**
     * Called by a write unit that found its database moved away from its place (see
     * {@link DatabasePlace#fault()}). A replaced file (a restored backup, say) is reopened at once
     * ({@link PoolSwitch#reopenMoved}): new work goes to the file that is at the path now. A
     * deleted file cannot be: write units fail with a {@link ConnectionException} until a file is
     * back at the path, and then the engine reopens by itself. Under the lifecycle lock like every
     * switch; the caller must not hold the writer gate (lock order: lifecycle before gate).
     */
    private void reopenMovedFile(PoolGeneration seen, String fault) {
        synchronized (lifecycle) {
            current.requireRunning();
            PoolGeneration old = current.latest();
            if (old != seen && old.place().fault() == null) {
                return; // another writer reopened it already
            }
            if (!old.place().present()) {
                ConnectionException e = new ConnectionException(name, fault
                        + "; writes are refused until a database file is back at that path (reads still see the old data)",
                        type.errors().unreachableCode(), null);
                metrics.failed(e);
                listeners.fire(EngineEvent.Type.ERROR, e.getMessage(), e);
                throw e;
            }
            generations.reopenMoved(old, fault);
        }
    }

    @Override
    public void close() {
        PoolGeneration last;
        synchronized (lifecycle) {
            EngineState state = current.engineState();
            if (state == EngineState.CLOSING || state == EngineState.CLOSED) {
                return;
            }
            health.close();
            maintenance.cancel();
            EngineSettings closing = current.latest().settings();
            if (!maintenance.awaitIdle(closing.drainTimeout())) {
                LOG.warn("[{}] a maintenance task did not finish within drainTimeout={} ms; closing anyway", name,
                        closing.drainTimeout());
            }
            maintenance.optimizeOnClose(closing);
            last = current.close();
            generations.awaitRetirements();
        }
        boolean drained = last.close(true, last.settings().drainTimeout());
        if (!drained) {
            LOG.warn("[{}] work did not finish within drainTimeout={} ms; its connections were closed", name,
                    last.settings().drainTimeout());
        }
        registry.files().release(last.place().claim(), name);
        last.place().release();
        registry.releaseName(name, this);
        generations.close();
        current.closed();
        listeners.fire(EngineEvent.Type.CLOSED, "", null);
    }

    @Override
    public BackupResult backup(Path target) {
        return backups.backup(target);
    }

    /**
     * {@inheritDoc}
     * <p>
     * See {@link EngineBackups#restore} for when the file is checked and the lifecycle lock taken.
     */
    @Override
    public RestoreResult restore(Path source) {
        return backups.restore(source);
    }

    /** @return the operations of the engine's management interface (its MXBean) */
    public ManagementOperations management() {
        return management;
    }

    /**
     * @return the current generation, entered; the caller must {@link PoolGeneration#exit()} it
     *         (for tests that look at a generation's pools)
     */
    PoolGeneration enter() {
        return current.enter();
    }

    /**
     * Waits until the generations this engine switched away from are closed, which is when they
     * give up their connections and, after a move, the claim on the file they left.
     */
    void awaitPreviousGenerationsClosed() {
        synchronized (lifecycle) {
            generations.awaitRetirements();
        }
    }

    @Override
    public String toString() {
        return "SqliteEngine[" + name + ", " + current.engineState() + "]";
    }
}
