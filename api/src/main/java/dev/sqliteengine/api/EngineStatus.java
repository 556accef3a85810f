package dev.sqliteengine.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of an engine, as {@link Engine#status()} returns it. Immutable.
 *
 * @param name the engine's name
 * @param state its life cycle state
 * @param path the database file's absolute path, or {@value EngineProperties#MEMORY_PATH}
 * @param readOnly whether the engine refuses writes
 * @param pools one entry per pool: the writer, the readers for {@code read} units, and the pool
 *        behind {@link Engine#dataSource()} and {@link Engine#connect()}
 * @param settings the effective settings, keyed by property name (every property of
 *        {@link EngineProperties}, defaults filled in); never contains secrets
 * @param sqliteVersion the SQLite library version, for example {@code 3.51.3}
 * @param commits write transactions committed since the engine started
 * @param rollbacks write transactions rolled back since the engine started
 * @param errors failed units of work and connections since the engine started
 * @param reconfigurations configuration changes applied since the engine started
 * @param lastRejection why the latest configuration update was rejected, if the latest update
 *        was rejected; empty once a later update is applied
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
        Optional<String> lastRejection) {

    /** Copies the collections so the snapshot stays immutable. */
    public EngineStatus {
        pools = List.copyOf(pools);
        settings = Map.copyOf(settings);
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
