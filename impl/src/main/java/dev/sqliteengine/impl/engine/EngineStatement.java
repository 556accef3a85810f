package dev.sqliteengine.impl.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Map;

/**
 * A statement of an {@link EngineConnection}: every execution passes the connection's
 * {@link EngineConnection#beforeStatement} and {@link EngineConnection#afterStatement}, which keep
 * the engine's transaction discipline; everything else goes straight to HikariCP's statement.
 */
class EngineStatement implements Statement {

    /** An execution of the wrapped statement. */
    @FunctionalInterface
    interface Execution<T> {
        T run() throws SQLException;
    }

    final EngineConnection connection;
    private final Statement statement;
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
        boolean logged = connection.statements.on();
        long start = logged ? System.nanoTime() : 0L;
        T result;
        try {
            result = execution.run();
        } catch (SQLException e) {
            connection.afterStatement(kind, e);
            if (logged) {
                connection.statements.ended(sql, start, -1, -1, parameters(), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            connection.afterStatement(kind, new SQLException(e));
            if (logged) {
                connection.statements.ended(sql, start, -1, -1, parameters(), e);
            }
            throw e;
        }
        connection.afterStatement(kind, null);
        if (logged) {
            if (result instanceof ResultSet) {
                started = start; // the query is logged once its rows are read
            } else {
                connection.statements.ended(sql, start, -1, rows(result), parameters(), null);
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
        LoggedResultSet logged = new LoggedResultSet(rows, this, connection.statements, sql, started, parameters());
        if (openQuery != null) {
            openQuery.ended(); // the driver closed its rows when this statement ran again
        }
        openQuery = logged;
        return logged;
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
            return statement.getUpdateCount();
        }
        return -1;
    }

    // Executions

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return query(SqlKind.ofScript(sql), sql, () -> statement.executeQuery(sql));
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.executeUpdate(sql), 0);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.executeUpdate(sql, autoGeneratedKeys), 0);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.executeUpdate(sql, columnIndexes), 0);
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.executeUpdate(sql, columnNames), 0);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.executeLargeUpdate(sql), 0L);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.executeLargeUpdate(sql, autoGeneratedKeys), 0L);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.executeLargeUpdate(sql, columnIndexes), 0L);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.executeLargeUpdate(sql, columnNames), 0L);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.execute(sql), false);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.execute(sql, autoGeneratedKeys), false);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.execute(sql, columnIndexes), false);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return run(SqlKind.ofScript(sql), sql, () -> statement.execute(sql, columnNames), false);
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        statement.addBatch(sql);
        batch = combine(batch, SqlKind.ofScript(sql));
        if (connection.statements.on()) {
            batchSql = batchSql == null ? new StringBuilder(sql) : batchSql.append("; ").append(sql);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        statement.clearBatch();
        batch = null;
        batchSql = null;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        SqlKind kind = batchKind();
        String sql = batchSql();
        batch = null;
        return run(kind, sql, statement::executeBatch, new int[0]);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        SqlKind kind = batchKind();
        String sql = batchSql();
        batch = null;
        return run(kind, sql, statement::executeLargeBatch, new long[0]);
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
        if (openQuery != null) {
            openQuery.ended();
            openQuery = null;
        }
        statement.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return statement.isClosed();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return statement.getMaxFieldSize();
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        statement.setMaxFieldSize(max);
    }

    @Override
    public int getMaxRows() throws SQLException {
        return statement.getMaxRows();
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        statement.setMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return statement.getLargeMaxRows();
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        statement.setLargeMaxRows(max);
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        statement.setEscapeProcessing(enable);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return statement.getQueryTimeout();
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        statement.setQueryTimeout(seconds);
    }

    @Override
    public void cancel() throws SQLException {
        statement.cancel();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return statement.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        statement.clearWarnings();
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        statement.setCursorName(name);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        ResultSet rows = statement.getResultSet();
        return rows == null ? null : new EngineResultSet(rows, this);
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return statement.getUpdateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return statement.getLargeUpdateCount();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return statement.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        return statement.getMoreResults(current);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        statement.setFetchDirection(direction);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return statement.getFetchDirection();
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        statement.setFetchSize(rows);
    }

    @Override
    public int getFetchSize() throws SQLException {
        return statement.getFetchSize();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return statement.getResultSetConcurrency();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return statement.getResultSetType();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return new EngineResultSet(statement.getGeneratedKeys(), this);
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return statement.getResultSetHoldability();
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        statement.setPoolable(poolable);
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return statement.isPoolable();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        statement.closeOnCompletion();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return statement.isCloseOnCompletion();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        connection.touched = true; // the driver's statement runs SQL past the connection's books
        return statement.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || statement.isWrapperFor(type);
    }

    @Override
    public String toString() {
        return statement.toString();
    }
}
