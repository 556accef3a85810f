package dev.sqliteengine.impl.jdbc;

import dev.sqliteengine.impl.database.TransactionControl;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * Every connection the engine hands out: a thin JDBC wrapper over HikariCP's pooled connection
 * that sees every statement before the driver does. Statements are wrapped too
 * ({@link EngineStatement}), so that each one passes {@link #beforeStatement} and
 * {@link #afterStatement}; what those do depends on who owns the transaction:
 * {@code UnitConnection} inside a unit of work (the engine), {@code ClientConnection} for
 * {@code Engine.connect()} and the {@code DataSource} (the caller, under the engine's rules).
 * <p>
 * Cost: one object per checkout and one per statement and result set; the common check-in asks
 * the database nothing, because every statement passed through here and the books are exact.
 * <p>
 * Leak hazard: {@link #unwrap} (here and on a statement) gives access to the driver's objects,
 * past these checks. It marks the connection {@link #touched}, so whatever is done there is still
 * cleaned up at check-in, where the database itself is asked whether a transaction was left open
 * ({@link TransactionControl#inTransaction}).
 * <p>
 * Why one long class: {@link Connection} has about 55 methods, most of them delegation; what is
 * the engine's own (statements through the checks, savepoints) is a small part of it.
 */
public abstract class EngineConnection implements Connection {

    /**
     * HikariCP's pooled connection. Replaced only by a {@code ClientConnection} that moves to a
     * streaming replica and back ({@code setReadOnly}), while nothing is open on it; the statements
     * made on the connection it leaves are closed then.
     */
    protected Connection delegate;
    protected final String engine;
    protected boolean closed;
    /**
     * Set once something could have run SQL past {@link #beforeStatement}/{@link #afterStatement}
     * (an unwrapped driver connection or statement) or a statement failed: check-in then asks
     * SQLite instead of trusting this object's books. Statements that went through the wrappers
     * keep the books exact, so the common check-in asks nothing.
     */
    protected boolean touched;
    /** Set once the driver's connection or a driver statement was handed out (see {@link #unwrapped()}). */
    protected boolean unwrappedDriver;
    private int savepoints;

    protected EngineConnection(Connection delegate, String engine) {
        this.delegate = delegate;
        this.engine = engine;
    }

    /**
     * Called before each statement runs.
     *
     * @return whether to run it; false when it was carried out another way (a {@code COMMIT}
     *         run as SQL on a manual-commit connection is its {@link #commit()})
     * @throws SQLException when the statement must not run, or waiting for the writer failed
     */
    protected abstract boolean beforeStatement(SqlKind kind) throws SQLException;

    /**
     * Called after each statement that {@link #beforeStatement} let run, whether it failed or
     * not. Never throws: the statement's own outcome is what the caller sees.
     *
     * @param failure the statement's failure, or null
     */
    protected abstract void afterStatement(SqlKind kind, SQLException failure);

    /** Called before a JDBC savepoint is set: the place where a manual transaction begins. */
    protected abstract void beforeSavepoint() throws SQLException;

    /**
     * @return the statement cache of the physical connection under this one, or null when the
     *         engine caches no statements ({@code statement.cacheSize=0})
     */
    protected abstract StatementCache statementCache() throws SQLException;

    /** @return how transactions begin and end on this connection's database */
    protected abstract TransactionControl transactions();

    /** @return the statement caches of the generation this connection belongs to */
    protected abstract StatementCaches statementCaches();

    /**
     * @return the engine's statement log, which every statement of this connection reports to.
     *         Asked of the subclass, not kept here: one field less keeps a {@code connect()} or
     *         {@code DataSource} checkout within 64 bytes (BENCHMARKS.md, issue 21).
     */
    protected abstract StatementLog statements();

    /** A statement that may have changed the schema ran here (see {@link SqlKind#mayChangeSchema}). */
    protected final void schemaChanged() {
        statementCaches().schemaChanged();
    }

    /**
     * The driver's connection or statement was handed out: what runs there passes no check of
     * ours, DDL included, so the cached statements of every connection count as stale.
     */
    public void unwrapped() {
        touched = true;
        unwrappedDriver = true;
        schemaChanged();
    }

    protected final void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("[" + engine + "] the connection is closed", "08003");
        }
    }

    // Statements

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return new EngineStatement(this, delegate.createStatement());
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        checkOpen();
        return new EngineStatement(this, delegate.createStatement(type, concurrency));
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        checkOpen();
        return new EngineStatement(this, delegate.createStatement(type, concurrency, holdability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        StatementCache cache = statementCache();
        if (cache != null) {
            return cache.lend(this, sql);
        }
        return new EnginePreparedStatement(this, delegate.prepareStatement(sql), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        if (autoGeneratedKeys == Statement.NO_GENERATED_KEYS) {
            return prepareStatement(sql); // the same statement, as the driver sees it
        }
        checkOpen();
        return new EnginePreparedStatement(this, delegate.prepareStatement(sql, autoGeneratedKeys), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        checkOpen();
        return new EnginePreparedStatement(this, delegate.prepareStatement(sql, columnIndexes), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        checkOpen();
        return new EnginePreparedStatement(this, delegate.prepareStatement(sql, columnNames), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        checkOpen();
        return new EnginePreparedStatement(this, delegate.prepareStatement(sql, type, concurrency), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        checkOpen();
        return new EnginePreparedStatement(this, delegate.prepareStatement(sql, type, concurrency, holdability),
                sql);
    }

    /** SQLite has no stored procedures; sqlite-jdbc refuses them too. */
    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw new SQLFeatureNotSupportedException("[" + engine + "] SQLite has no stored procedures");
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return prepareCall(sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException {
        return prepareCall(sql);
    }

    // Savepoints: SQL savepoints inside the transaction, whoever owns it

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return setSavepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        beforeSavepoint();
        EngineSavepoint savepoint = new EngineSavepoint(++savepoints, name);
        transactions().execute(delegate, "SAVEPOINT " + savepoint.identifier());
        return savepoint;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        transactions().execute(delegate, "ROLLBACK TO " + EngineSavepoint.of(savepoint, engine).identifier());
        // A transaction the database failed but kept (PostgreSQL) runs statements again from here.
        afterStatement(SqlKind.ROLLBACK_TO, null);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        transactions().execute(delegate, "RELEASE " + EngineSavepoint.of(savepoint, engine).identifier());
    }

    // Passed through: HikariCP resets these when the connection goes back

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return delegate.nativeSQL(sql);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        DatabaseMetaData metaData = delegate.getMetaData();
        // Only getConnection() differs, on a path nobody times: a dynamic proxy will do.
        return (DatabaseMetaData) Proxy.newProxyInstance(EngineConnection.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && method.getParameterCount() == 0) {
                        return this;
                    }
                    try {
                        return method.invoke(metaData, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        delegate.setCatalog(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return delegate.getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        delegate.setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return delegate.getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return delegate.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        delegate.clearWarnings();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return delegate.getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        delegate.setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkOpen();
        delegate.setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return delegate.getHoldability();
    }

    @Override
    public Clob createClob() throws SQLException {
        checkOpen();
        return delegate.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        checkOpen();
        return delegate.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        checkOpen();
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        checkOpen();
        return delegate.createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return !closed && delegate.isValid(timeout);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        delegate.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        delegate.setClientInfo(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        return delegate.getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        return delegate.getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        checkOpen();
        return delegate.createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        checkOpen();
        return delegate.createStruct(typeName, attributes);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
        delegate.setSchema(schema);
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return delegate.getSchema();
    }

    /** Aborting is closing here: SQLite connections are local, there is nothing to wait for. */
    @Override
    public void abort(Executor executor) throws SQLException {
        close();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        delegate.setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return delegate.getNetworkTimeout();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        checkOpen();
        unwrapped();
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + engine + (closed ? ", closed]" : "]");
    }
}
