package dev.sqliteengine.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot of an engine, as {@link Engine#status()} returns it. Immutable. The figures are read
 * one after another without a lock, so under load they need not add up exactly. Counters count
 * since the engine started (a reconfiguration or a pool switch does not reset them); latencies
 * are {@link LatencyFigures}.
 *
 * @param name the engine's name
 * @param state its life cycle state
 * @param path the database file's absolute path, or {@value EngineProperties#MEMORY_PATH}; on
 *        PostgreSQL the server's JDBC URL (which never holds the password)
 * @param readOnly whether the engine refuses writes
 * @param pools one entry per pool: the writer, the readers for {@code read} units, and the pool
 *        behind {@link Engine#dataSource()} and {@link Engine#connect()}
 * @param settings the effective settings, keyed by property name (every property of
 *        {@link EngineProperties}, defaults filled in); never contains secrets
 * @param sqliteVersion the SQLite library version, for example {@code 3.51.3}; on PostgreSQL the
 *        server's version ({@code SHOW server_version}), for example {@code 15.18}
 * @param commits write transactions committed since the engine started
 * @param rollbacks write transactions rolled back since the engine started
 * @param errors failed units of work and connections since the engine started
 * @param reconfigurations configuration changes applied since the engine started
 * @param lastRejection why the latest configuration update was rejected, if the latest update
 *        was rejected; empty once a later update is applied
 * @param writerQueue the queue for the writer: its length, how long writers waited, and how many gave up
 * @param checkoutWait how long a connection took to come out of a pool (any of the three), the
 *        checkouts that timed out included; units' checkouts are all timed, those of
 *        {@link Engine#connect()} and the {@link Engine#dataSource()} one in 64 (each counted 64
 *        times), since timing them costs about as much as the checkout itself
 * @param connectionUsage how long connections stayed checked out, from checkout to their return
 *        to the pool (for units HikariCP measures it in whole milliseconds; sampled like
 *        {@code checkoutWait} for the others)
 * @param readUnits how long {@link ConnectionManager#read} units took, from the call to their
 *        end, failed ones included (nested units are part of their outer unit)
 * @param writeUnits how long {@link ConnectionManager#write} units took, from the call to their
 *        end, waiting in the queue and retries included, failed ones included
 * @param retries write units run again after SQLite reported the database busy or locked (on
 *        PostgreSQL: after a serialization failure, a deadlock or a lock wait past {@code lockTimeout})
 * @param busyWaits times SQLite reported the database busy or locked ({@code SQLITE_BUSY},
 *        {@code SQLITE_LOCKED} and their extended codes): another connection or process held a
 *        lock for longer than {@code busy_timeout}; on PostgreSQL, lock waits that passed
 *        {@code lockTimeout} (SQLSTATE {@code 55P03})
 * @param timeouts waits that ran out of time: writers that gave up in the writer queue,
 *        checkouts that found no free connection within {@code osgi.connection.timeout}, and
 *        write units that gave up by {@code write.deadline} before a retry
 * @param errorsByCode the {@code errors}, and failed statements on connections of
 *        {@link Engine#connect()} and the {@link Engine#dataSource()}, by SQLite's extended
 *        result code name (for example {@code SQLITE_CONSTRAINT_UNIQUE}) or, on PostgreSQL, by
 *        SQLSTATE (for example {@code 23505}), or {@code NONE} for failures without one (such as
 *        timeouts); sorted by name
 * @param wal the write-ahead log's size and the last checkpoint the engine ran
 * @param statementCache how often prepared statements were reused from the statement cache
 */
public record EngineStatus(
        String name,
        EngineState state,
        String path,
        boolean readOnly,
        List<PoolStatus> pools,
        Map<String, Object> settings,
        String sqliteVersion,
        long commits,
        long rollbacks,
        long errors,
        long reconfigurations,
        Optional<String> lastRejection,
        WriterQueueFigures writerQueue,
        LatencyFigures checkoutWait,
        LatencyFigures connectionUsage,
        LatencyFigures readUnits,
        LatencyFigures writeUnits,
        long retries,
        long busyWaits,
        long timeouts,
        Map<String, Long> errorsByCode,
        WalFigures wal,
        StatementCacheFigures statementCache) {

    /** Copies the collections so the snapshot stays immutable. */
    public EngineStatus {
        pools = List.copyOf(pools);
        settings = Map.copyOf(settings);
        errorsByCode = Collections.unmodifiableMap(new TreeMap<>(errorsByCode));
    }

    /**
     * A status without figures, as version 1.1 of this package made it: the writer queue, the
     * latencies and the WAL are empty and the counters zero. Kept so that code written against 1.1
     * (tests, adapters that build a status of their own) still compiles and links.
     */
    public EngineStatus(String name, EngineState state, String path, boolean readOnly, List<PoolStatus> pools,
            Map<String, Object> settings, String sqliteVersion, long commits, long rollbacks, long errors,
            long reconfigurations, Optional<String> lastRejection) {
        this(name, state, path, readOnly, pools, settings, sqliteVersion, commits, rollbacks, errors, reconfigurations,
                lastRejection, new WriterQueueFigures(0, LatencyFigures.NONE, 0), LatencyFigures.NONE,
                LatencyFigures.NONE, LatencyFigures.NONE, LatencyFigures.NONE, 0, 0, 0, Map.of(),
                new WalFigures(0, 0, Optional.empty()), StatementCacheFigures.NONE);
    }

    /** @return open connections across all pools */
    public int totalConnections() {
        return pools.stream().mapToInt(PoolStatus::total).sum();
    }

    /** @return connections checked out across all pools */
    public int activeConnections() {
        return pools.stream().mapToInt(PoolStatus::active).sum();
    }

    /** @return idle connections across all pools */
    public int idleConnections() {
        return pools.stream().mapToInt(PoolStatus::idle).sum();
    }

    /** @return threads waiting for a connection across all pools */
    public int waitingThreads() {
        return pools.stream().mapToInt(PoolStatus::waiting).sum();
    }

    /**
     * @param pool {@code "writer"}, {@code "readers"} or {@code "dataSource"}
     * @return that pool's figures, if the engine has it
     */
    public Optional<PoolStatus> pool(String pool) {
        return pools.stream().filter(p -> p.pool().equals(pool)).findFirst();
    }
}
