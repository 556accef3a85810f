package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.pool.CurrentGeneration;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The engine's {@link DataSource}: one stable object for the engine's whole life, registered as
 * a service once, that always hands out connections from the engine's current pool. A pool
 * switch is invisible to whoever holds it; connections they already have finish on the old pool.
 */
public final class EngineDataSource implements DataSource {

    private final String engine;
    private final CurrentGeneration current;
    private final ClientCheckout checkout;
    private volatile int loginTimeout;

    public EngineDataSource(String engine, CurrentGeneration current, ClientCheckout checkout) {
        this.engine = engine;
        this.current = current;
        this.checkout = checkout;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return checkout.connection();
        } catch (ConnectionException refused) {
            // JDBC callers expect an SQLException; keep the engine's words, and say whether trying
            // again may help (a switch that took too long) or not (failed, closing, closed).
            throw current.engineState() == EngineState.RUNNING
                    ? new SQLTransientConnectionException(refused.getMessage(), "08001", refused)
                    : new SQLNonTransientConnectionException(refused.getMessage(), "08003", refused);
        }
    }

    /** SQLite has no users: the credentials are ignored, as SQLiteDataSource ignores them. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // logging goes through slf4j
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("sqlite-engine logs through slf4j");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("[" + engine + "] the engine's DataSource does not wrap " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return "EngineDataSource[" + engine + "]";
    }
}
