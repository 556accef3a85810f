package dev.sqliteengine.impl.jmx;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.LatencyFigures;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.api.RestoreResult;
import dev.sqliteengine.api.WalFigures;
import dev.sqliteengine.impl.engine.SqliteEngine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link EngineMXBean} of one engine: each attribute is read from a fresh
 * {@link SqliteEngine#status()}, so it is as current as the status. Failures leave as JDK
 * exceptions with the engine's message, since a JMX client does not have this bundle's classes.
 */
final class EngineMBean implements EngineMXBean {

    private final SqliteEngine engine;

    EngineMBean(SqliteEngine engine) {
        this.engine = engine;
    }

    private EngineStatus status() {
        return engine.status();
    }

    @Override
    public String getName() {
        return engine.name();
    }

    @Override
    public String getState() {
        return status().state().name();
    }

    @Override
    public String getPath() {
        return status().path();
    }

    @Override
    public boolean isReadOnly() {
        return status().readOnly();
    }

    @Override
    public String getSqliteVersion() {
        return status().sqliteVersion();
    }

    @Override
    public Pool getWriterPool() {
        return pool("writer");
    }

    @Override
    public Pool getReadersPool() {
        return pool("readers");
    }

    @Override
    public Pool getDataSourcePool() {
        return pool("dataSource");
    }

    private Pool pool(String name) {
        return new PoolView(status().pool(name).orElse(PoolStatus.closed(name)));
    }

    @Override
    public WriterQueue getWriterQueue() {
        var queue = status().writerQueue();
        return new WriterQueueView(queue.waiting(), new LatencyView(queue.waitTime()), queue.timeouts());
    }

    @Override
    public Latency getCheckoutWait() {
        return new LatencyView(status().checkoutWait());
    }

    @Override
    public Latency getConnectionUsage() {
        return new LatencyView(status().connectionUsage());
    }

    @Override
    public Latency getReadUnits() {
        return new LatencyView(status().readUnits());
    }

    @Override
    public Latency getWriteUnits() {
        return new LatencyView(status().writeUnits());
    }

    @Override
    public long getCommits() {
        return status().commits();
    }

    @Override
    public long getRollbacks() {
        return status().rollbacks();
    }

    @Override
    public long getErrors() {
        return status().errors();
    }

    @Override
    public long getRetries() {
        return status().retries();
    }

    @Override
    public long getBusyWaits() {
        return status().busyWaits();
    }

    @Override
    public long getTimeouts() {
        return status().timeouts();
    }

    @Override
    public long getReconfigurations() {
        return status().reconfigurations();
    }

    @Override
    public long getStatementsReused() {
        return status().statementCache().reused();
    }

    @Override
    public long getStatementsPrepared() {
        return status().statementCache().prepared();
    }

    @Override
    public Map<String, Long> getErrorsByCode() {
        return status().errorsByCode();
    }

    @Override
    public Wal getWal() {
        WalFigures wal = status().wal();
        return new WalView(wal.sizeBytes(), wal.pages(),
                wal.lastCheckpoint().map(c -> c.time().toString()).orElse(""),
                wal.lastCheckpoint().map(EngineMBean::describe).orElse(""));
    }

    @Override
    public String checkpoint(String mode) {
        try {
            return describe(engine.management().checkpoint(mode));
        } catch (EngineException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    @Override
    public String backup(String file) {
        try {
            BackupResult b = engine.backup(Path.of(file));
            return b.file() + ": " + b.pages() + " pages, " + b.bytes() + " bytes in " + b.took().toMillis() + " ms";
        } catch (EngineException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    @Override
    public String restore(String file) {
        try {
            RestoreResult r = engine.restore(Path.of(file));
            return r.pages() + " pages from " + r.source() + ", paused " + r.paused().toMillis() + " ms";
        } catch (EngineException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    @Override
    public String getHealth() {
        return engine.health().status().name();
    }

    @Override
    public Map<String, String> getHealthChecks() {
        Map<String, String> checks = new LinkedHashMap<>();
        for (EngineHealth.Finding f : engine.health().findings()) {
            checks.put(f.check(), f.status() + ": " + f.message());
        }
        return checks;
    }

    @Override
    public void optimize() {
        try {
            engine.management().optimize();
        } catch (EngineException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    static String describe(CheckpointFigures c) {
        return c.mode() + " " + c.failure().map(f -> "failed: " + f)
                .orElse((c.completed() ? "completed" : "not completed (busy)") + ": walPages=" + c.walPages()
                        + ", checkpointedPages=" + c.checkpointedPages());
    }

    private record PoolView(PoolStatus p) implements Pool {
        @Override
        public int getTotal() {
            return p.total();
        }

        @Override
        public int getActive() {
            return p.active();
        }

        @Override
        public int getIdle() {
            return p.idle();
        }

        @Override
        public int getWaiting() {
            return p.waiting();
        }

        @Override
        public int getMax() {
            return p.max();
        }

        @Override
        public int getMin() {
            return p.min();
        }
    }

    private record LatencyView(LatencyFigures f) implements Latency {
        @Override
        public long getP50Nanos() {
            return f.p50Nanos();
        }

        @Override
        public long getP99Nanos() {
            return f.p99Nanos();
        }

        @Override
        public long getMaxNanos() {
            return f.maxNanos();
        }

        @Override
        public long getWindowCount() {
            return f.windowCount();
        }

        @Override
        public long getCount() {
            return f.count();
        }

        @Override
        public long getTotalNanos() {
            return f.totalNanos();
        }
    }

    private record WriterQueueView(int getWaiting, Latency getWaitTime, long getTimeouts) implements WriterQueue {}

    private record WalView(long getSizeBytes, long getPages, String getLastCheckpointTime,
            String getLastCheckpointResult) implements Wal {}
}
