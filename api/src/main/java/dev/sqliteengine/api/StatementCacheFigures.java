package dev.sqliteengine.api;

/**
 * What the engine's prepared-statement cache ({@link EngineProperties#STATEMENT_CACHE_SIZE}) did
 * since the engine started, across all its connections and pool generations. A cache that works
 * shows many more statements reused than prepared; {@code statement.cacheSize=0} shows none
 * reused and counts no statement.
 *
 * @param reused {@code prepareStatement} calls answered with a statement a connection had kept,
 *        without SQLite parsing and planning it again
 * @param prepared {@code prepareStatement} calls that prepared a new statement to keep: the first
 *        time a connection saw the SQL, after its statement was closed as least recently used, or
 *        after a schema change made the kept one stale
 */
public record StatementCacheFigures(long reused, long prepared) {

    /** No statement seen. */
    public static final StatementCacheFigures NONE = new StatementCacheFigures(0, 0);

    /** @return the share of cached {@code prepareStatement} calls that reused a statement, 0 to 1; 0 when there were none */
    public double reuseRatio() {
        long all = reused + prepared;
        return all == 0 ? 0 : (double) reused / all;
    }
}
