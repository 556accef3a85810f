package dev.sqliteengine.api;

/**
 * Figures of one connection pool at one moment. The figures are read one after another without
 * a lock, so under load they need not add up exactly.
 *
 * @param pool which pool: {@code "writer"}, {@code "readers"} or {@code "dataSource"}
 * @param total open connections, busy or idle
 * @param active connections checked out
 * @param idle connections waiting in the pool
 * @param waiting threads waiting for a connection
 * @param max the pool's maximum size
 * @param min the number of idle connections the pool tries to keep
 */
public record PoolStatus(String pool, int total, int active, int idle, int waiting, int max, int min) {

    /** A pool that is not open (for example the writer of a read-only engine). */
    public static PoolStatus closed(String pool) {
        return new PoolStatus(pool, 0, 0, 0, 0, 0, 0);
    }
}
