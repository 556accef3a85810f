package dev.sqliteengine.api;

import java.util.Objects;

/**
 * One connection pool over one {@link EngineSample}'s interval. The engine looks at its pools
 * several times a second; {@code active} and {@code waiting} are the highest it saw in the
 * interval, so a short burst between two samples still shows.
 *
 * @param pool which pool, as in {@link PoolStatus#pool()} (the SQLite engine has {@code "writer"},
 *        {@code "readers"} and {@code "dataSource"})
 * @param active the most connections seen checked out at once
 * @param waiting the most threads seen waiting for a connection at once
 * @param max the pool's maximum size at the interval's end
 */
public record PoolSample(String pool, int active, int waiting, int max) {

    /** Checks that the pool has a name. */
    public PoolSample {
        Objects.requireNonNull(pool, "pool");
    }
}
