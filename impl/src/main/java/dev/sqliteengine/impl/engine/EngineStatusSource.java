package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.api.WalFigures;
import dev.sqliteengine.api.WriterQueueFigures;
import dev.sqliteengine.impl.figures.EngineMetrics;
import dev.sqliteengine.impl.pool.CurrentGeneration;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Where an engine's {@link EngineStatus} comes from: the current generation (state, pools,
 * settings, path), the metrics and the writer queues, read afresh for every status, and the two
 * facts that the engine keeps only to show them, its SQLite version and its last rejected
 * configuration.
 */
final class EngineStatusSource {

    private final String name;
    private final CurrentGeneration current;
    private final EngineMetrics metrics;
    /** The writers waiting now: units in their queue, and others at the gate. */
    private final IntSupplier writersWaiting;
    private volatile String lastRejection;
    private volatile String sqliteVersion = "";

    EngineStatusSource(String name, CurrentGeneration current, EngineMetrics metrics, IntSupplier writersWaiting) {
        this.name = name;
        this.current = current;
        this.metrics = metrics;
        this.writersWaiting = writersWaiting;
    }

    /** @param version the SQLite version, as the engine's first read found it */
    void sqliteVersion(String version) {
        sqliteVersion = version;
    }

    /** @param why the message of the configuration refused last */
    void rejected(String why) {
        lastRejection = why;
    }

    /** Forgets the last rejection: a configuration was applied since. */
    void applied() {
        lastRejection = null;
    }

    /**
     * @param readWal whether to read the {@code -wal} file for the WAL figures; the health sampler,
     *        four times a second, needs only the pools and counters and leaves them empty
     */
    EngineStatus read(boolean readWal) {
        PoolGeneration generation = current.latest();
        EngineState state = current.engineState();
        List<PoolStatus> pools = state == EngineState.CLOSED
                ? List.of(PoolStatus.closed(PoolGeneration.WRITER), PoolStatus.closed(PoolGeneration.READERS),
                        PoolStatus.closed(PoolGeneration.DATA_SOURCE))
                : generation.status();
        EngineSettings settings = generation.settings();
        EngineMetrics m = metrics;
        return new EngineStatus(name, state, generation.place().shown(), settings.readOnly(), pools,
                settings.asProperties(), sqliteVersion, m.commits.sum(), m.rollbacks.sum(), m.errors.sum(),
                m.reconfigurations.sum(), Optional.ofNullable(lastRejection),
                new WriterQueueFigures(writersWaiting.getAsInt(), m.queueWait.figures(), m.queueTimeouts.sum()),
                m.checkoutWait.figures(), m.connectionUsage.figures(), m.readUnits.figures(), m.writeUnits.figures(),
                m.retries.sum(), m.busyWaits.sum(), m.timeouts.sum() + m.queueTimeouts.sum(), m.errorsByCode.byName(),
                readWal ? generation.place().wal(m.lastCheckpoint)
                        : new WalFigures(0, 0, Optional.ofNullable(m.lastCheckpoint)),
                m.statementReuse.figures());
    }
}
