package dev.sqliteengine.txcontrol;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.osgi.service.transaction.control.TransactionContext;
import org.osgi.service.transaction.control.TransactionControl;

/**
 * An engine's {@code DataSource} as the JDBC resource provider sees it: inside a read-only scope
 * of one {@link TransactionControl} it hands out read-only connections.
 * <p>
 * Why: Apache Aries' JDBC resource provider (1.0.1) turns auto-commit off on the connection it
 * enlists and never calls {@code setReadOnly}, whatever the scope says. On an engine connection
 * a transaction that is not read-only begins {@code BEGIN IMMEDIATE} at its first statement and
 * holds the engine's writer until it ends, so every read-only scope would queue behind writers
 * and hold them up. A read-only connection begins {@code DEFERRED}, never waits for the writer,
 * and refuses writes. The engine makes the connection writable again when it is closed, before
 * its pool sees it.
 * <p>
 * The provider asks for a connection lazily, at the scope's first use of it and on the scope's
 * thread, so the current context of {@code txControl} is the scope's own. That holds only for
 * the {@code TransactionControl} whose scopes use the connection, hence one instance per
 * {@code TransactionControl} (see {@link EngineConnectionProvider}).
 * <p>
 * Deliberately not {@code AutoCloseable}: Aries' {@code releaseProvider} closes a
 * {@code DataSource} that is, and the engine's {@code DataSource} belongs to the engine.
 */
final class ReadOnlyScopeDataSource implements DataSource {

    private final DataSource engine;
    private final TransactionControl txControl;

    ReadOnlyScopeDataSource(DataSource engine, TransactionControl txControl) {
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
                connection.setReadOnly(true);
            } catch (SQLException | RuntimeException e) {
                connection.close(); // back to the pool, not leaked by a scope that never got it
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
