package dev.sqliteengine.examples.txcontrol;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.osgi.service.transaction.control.TransactionContext;
import org.osgi.service.transaction.control.TransactionControl;

/**
 * An engine's {@code DataSource} for OSGi Transaction Control: inside a read-only scope
 * ({@code txControl.build().readOnly().required(...)}) it hands out read-only connections.
 * <p>
 * Why it is needed: the Apache Aries JDBC resource provider (1.0.1) turns auto-commit off on
 * the connection it enlists and never calls {@code setReadOnly}, whatever the scope says. On an
 * engine connection, a transaction that is not read-only begins {@code BEGIN IMMEDIATE} at its
 * first statement and holds the engine's writer until it ends, so every read-only scope would
 * queue behind writers and hold them up. A read-only connection begins {@code DEFERRED}, never
 * waits for the writer, and refuses writes.
 * <p>
 * The provider asks for a connection lazily, at the scope's first use of it, so the current
 * transaction context is the scope's own. Copy this class into your bundle; it needs
 * {@code org.osgi.service.transaction.control} and {@code javax.sql}. Or install the
 * {@code tx-control} bundle instead: it registers a {@code JDBCConnectionProvider} service per
 * engine that does this already, and this class is not needed.
 */
public final class ReadOnlyScopeDataSource implements DataSource {

    private final DataSource engine;
    private final TransactionControl txControl;

    /**
     * @param engine the engine's {@code DataSource} service, e.g. {@code (dataSourceName=orders)}
     * @param txControl the Transaction Control service whose scopes use the connections
     */
    public ReadOnlyScopeDataSource(DataSource engine, TransactionControl txControl) {
        this.engine = engine;
        this.txControl = txControl;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return forCurrentScope(engine.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return forCurrentScope(engine.getConnection(username, password));
    }

    private Connection forCurrentScope(Connection connection) throws SQLException {
        TransactionContext scope = txControl.getCurrentContext();
        if (scope != null && scope.isReadOnly()) {
            try {
                connection.setReadOnly(true); // the engine sets it back when the connection is closed
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return engine.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        engine.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        engine.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return engine.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return engine.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : engine.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || engine.isWrapperFor(type);
    }
}
