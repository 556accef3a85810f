package dev.sqliteengine.impl.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * The rows of a query while the engine's statement log is on: counts the rows read and the time
 * spent in the driver fetching them, and logs the query once, when {@link #next()} reaches the
 * end, or the rows or their statement are closed, whichever comes first. The time between rows
 * is the caller's, not the statement's, and is not counted. Used by one thread, like any
 * result set.
 */
final class LoggedResultSet extends EngineResultSet {

    private final StatementLog log;
    private final String sql;
    private final long start;
    private final Map<Integer, Object> parameters;
    /** Time in the driver so far: the execution, then each {@link #next()}. */
    private long busyNanos;
    private long rows;
    private boolean ended;

    LoggedResultSet(ResultSet rows, EngineStatement statement, StatementLog log, String sql, long start,
            Map<Integer, Object> parameters) {
        super(rows, statement);
        this.log = log;
        this.sql = sql;
        this.start = start;
        this.parameters = parameters;
        this.busyNanos = System.nanoTime() - start;
    }

    @Override
    public boolean next() throws SQLException {
        long before = System.nanoTime();
        boolean more;
        try {
            more = super.next();
        } catch (SQLException | RuntimeException e) {
            busyNanos += System.nanoTime() - before;
            if (!ended) {
                ended = true;
                log.ended(sql, start, busyNanos, -1, parameters, e);
            }
            throw e;
        }
        busyNanos += System.nanoTime() - before;
        if (more) {
            rows++;
        } else {
            ended();
        }
        return more;
    }

    @Override
    public void close() throws SQLException {
        ended();
        super.close();
    }

    /** Logs the query, once. */
    void ended() {
        if (!ended) {
            ended = true;
            log.ended(sql, start, busyNanos, rows, parameters, null);
        }
    }
}
