package dev.sqliteengine.impl.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Map;

/**
 * A statement of an {@link EngineConnection}: every execution passes the connection's
 * {@link EngineConnection#beforeStatement} and {@link EngineConnection#afterStatement}, which keep
 * the engine's transaction discipline; everything else goes straight to HikariCP's driver().
 * <p>
 * Why one long class: {@link Statement} has about 60 methods, most of them one line of
 * delegation; the execute methods are where the checks are, and they belong together.
 */
class EngineStatement implements Statement {

    /** An execution of the wrapped driver(). */
    @FunctionalInterface
    interface Execution<T> {
        T run() throws SQLException;
    }

    final EngineConnection connection;
    private final Statement statement;
    /**
     * Set by {@link #close()}, and by the connection when it takes a cached statement back at
     * check-in. From then on every call is refused here, before it reaches the driver: a cached
     * driver statement (and its one reused result set) may already serve the next checkout.
     */
    boolean closed;
    /**
     * Whether the driver statement may go back to the statement cache when this one closes:
     * false once a setting was changed on it (row limits, timeouts, fetch hints, cursor name),
     * it was unwrapped, or its results were read in a way the cache cannot reset for sure.
     */
    boolean reusable = true;
    /** What the statements added with {@link #addBatch(String)} do, taken together. */
    private SqlKind batch;
    /** Their text, kept only while statements are logged. */
    private StringBuilder batchSql;
    /** When the query that {@link #query} is wrapping started, while statements are logged; else 0. */
    private long started;
    /** The last logged query's rows, logged at the latest when this statement closes. */
    private LoggedResultSet openQuery;

    EngineStatement(EngineConnection connection, Statement statement) {
        this.connection = connection;
        this.statement = statement;
    }

    /** @return the driver's statement, while this one is open */
    final Statement driver() throws SQLException {
        if (closed) {
            throw new SQLException("[" + connection.engine + "] the statement is closed", "HY010");
        }
        return statement;
    }

    /**
     * Runs an execution under the connection's rules, and logs it when the engine's statement
     * log is on (a query when its rows have been read, see {@link LoggedResultSet}).
     *
     * @param sql the statement's text, for the log
     * @param skipped the result when the connection carried the statement out itself
     */
    final <T> T run(SqlKind kind, String sql, Execution<T> execution, T skipped) throws SQLException {
        if (!connection.beforeStatement(kind)) {
            return skipped;
        }
        // Measured from here: the wait for the writer is the queue's, not the statement's.
        boolean logged = connection.statements().on();
        long start = logged ? System.nanoTime() : 0L;
        T result;
        try {
            result = execution.run();
        } catch (SQLException e) {
            connection.afterStatement(kind, e);
            if (logged) {
                connection.statements().ended(sql, start, -1, -1, parameters(), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            connection.afterStatement(kind, new SQLException(e));
            if (logged) {
                connection.statements().ended(sql, start, -1, -1, parameters(), e);
            }
            throw e;
        }
        connection.afterStatement(kind, null);
        if (kind != SqlKind.READ && changesSchema(sql)) {
            connection.schemaChanged();
        }
        if (logged) {
            if (result instanceof ResultSet) {
                started = start; // the query is logged once its rows are read
            } else {
                connection.statements().ended(sql, start, -1, rows(result), parameters(), null);
            }
        }
        return result;
    }

    final ResultSet query(SqlKind kind, String sql, Execution<ResultSet> execution) throws SQLException {
        started = 0L;
        ResultSet rows = run(kind, sql, execution, null);
        if (rows == null) {
            throw new SQLException("[" + connection.engine + "] the statement returns no rows");
        }
        if (started == 0L) {
            return new EngineResultSet(rows, this);
        }
        LoggedResultSet logged = new LoggedResultSet(rows, this, connection.statements(), sql, started, parameters());
        if (openQuery != null) {
            openQuery.ended(); // the driver closed its rows when this statement ran again
        }
        openQuery = logged;
        return logged;
    }

    /**
     * @return whether the statement may have changed the schema, which makes cached statements
     *         stale (see {@link StatementCache}); a plain statement reads its text each time
     */
    boolean changesSchema(String sql) {
        return SqlKind.mayChangeSchema(sql);
    }

    /** @return the bound parameters to log, or null: a plain statement has none */
    Map<Integer, Object> parameters() {
        return null;
    }

    /** @return the rows an update reports, for the log; -1 when it does not say */
    private long rows(Object result) throws SQLException {
        if (result instanceof Integer n) {
            return n;
        } else if (result instanceof Long n) {
            return n;
        } else if (result instanceof int[] counts) {
            return java.util.Arrays.stream(counts).filter(n -> n > 0).asLongStream().sum();
        } else if (result instanceof long[] counts) {
            return java.util.Arrays.stream(counts).filter(n -> n > 0).sum();
        } else if (Boolean.FALSE.equals(result)) {
            return driver().getUpdateCount();
        }
        return -1;
    }

    // Executions

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return query(SqlKind.ofScript(sql), sql, () -> driver().executeQuery(sql));
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().executeUpdate(sql), 0);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().executeUpdate(sql, autoGeneratedKeys), 0);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().executeUpdate(sql, columnIndexes), 0);
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().executeUpdate(sql, columnNames), 0);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().executeLargeUpdate(sql), 0L);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().executeLargeUpdate(sql, autoGeneratedKeys), 0L);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().executeLargeUpdate(sql, columnIndexes), 0L);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().executeLargeUpdate(sql, columnNames), 0L);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().execute(sql), false);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().execute(sql, autoGeneratedKeys), false);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().execute(sql, columnIndexes), false);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> driver().execute(sql, columnNames), false);
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        driver().addBatch(sql);
        batch = combine(batch, SqlKind.ofScript(sql));
        if (connection.statements().on()) {
            batchSql = batchSql == null ? new StringBuilder(sql) : batchSql.append("; ").append(sql);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        driver().clearBatch();
        batch = null;
        batchSql = null;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        SqlKind kind = batchKind();
        String sql = batchSql();
        batch = null;
        return run(kind, sql, driver()::executeBatch, new int[0]);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        SqlKind kind = batchKind();
        String sql = batchSql();
        batch = null;
        return run(kind, sql, driver()::executeLargeBatch, new long[0]);
    }

    /** @return the batch's text for the log, and forgets it */
    private String batchSql() {
        String sql = batchSql == null ? "(batch)" : batchSql.toString();
        batchSql = null;
        return sql;
    }

    SqlKind batchKind() {
        return batch == null ? SqlKind.READ : batch;
    }

    /**
     * A batch is a script run statement by statement: any transaction control in it makes it a
     * {@link SqlKind#SCRIPT}, one write makes it a write.
     */
    static SqlKind combine(SqlKind so, SqlKind next) {
        SqlKind before = so == null ? SqlKind.READ : so;
        if (before == SqlKind.QUERY_ONLY || next == SqlKind.QUERY_ONLY) {
            return SqlKind.QUERY_ONLY;
        }
        if (before == SqlKind.SCRIPT || next != SqlKind.READ && next != SqlKind.WRITE) {
            return SqlKind.SCRIPT;
        }
        return before == SqlKind.READ && next == SqlKind.READ ? SqlKind.READ : SqlKind.WRITE;
    }

    // The rest goes straight through

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (openQuery != null) {
            openQuery.ended();
            openQuery = null;
        }
        release(statement);
    }

    /** Gives up the driver's statement once this one closed: closes it, or returns it to its cache. */
    void release(Statement driver) throws SQLException {
        driver.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed || statement.isClosed();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return driver().getMaxFieldSize();
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        reusable = false;
        driver().setMaxFieldSize(max);
    }

    @Override
    public int getMaxRows() throws SQLException {
        return driver().getMaxRows();
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        reusable = false;
        driver().setMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return driver().getLargeMaxRows();
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        reusable = false;
        driver().setLargeMaxRows(max);
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        reusable = false;
        driver().setEscapeProcessing(enable);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return driver().getQueryTimeout();
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        reusable = false;
        driver().setQueryTimeout(seconds);
    }

    @Override
    public void cancel() throws SQLException {
        reusable = false;
        driver().cancel();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return driver().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        driver().clearWarnings();
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        reusable = false;
        driver().setCursorName(name);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        reusable = false;
        ResultSet rows = driver().getResultSet();
        return rows == null ? null : new EngineResultSet(rows, this);
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return driver().getUpdateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return driver().getLargeUpdateCount();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        reusable = false;
        return driver().getMoreResults();
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        reusable = false;
        return driver().getMoreResults(current);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        reusable = false;
        driver().setFetchDirection(direction);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return driver().getFetchDirection();
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        reusable = false;
        driver().setFetchSize(rows);
    }

    @Override
    public int getFetchSize() throws SQLException {
        return driver().getFetchSize();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return driver().getResultSetConcurrency();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return driver().getResultSetType();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        reusable = false;
        return new EngineResultSet(driver().getGeneratedKeys(), this);
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return driver().getResultSetHoldability();
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        if (!poolable) {
            reusable = false; // JDBC's hint that a statement pool should not keep it
        }
        driver().setPoolable(poolable);
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return driver().isPoolable();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        reusable = false;
        driver().closeOnCompletion();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return driver().isCloseOnCompletion();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        connection.unwrapped(); // the driver's statement runs SQL past the connection's books
        reusable = false;
        return driver().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || driver().isWrapperFor(type);
    }

    @Override
    public String toString() {
        return statement.toString();
    }
}
