package dev.sqliteengine.impl.pool;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.events.ListenerSet;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The driver's data source as a pool sees it, where each new physical connection is prepared:
 * the generation's {@link ConnectionSetups} run on it, and it is reported as a {@code connected}
 * event. HikariCP calls it only when it opens a connection, never on checkout, so the hot path
 * stays HikariCP's own. (HikariCP's metrics tracker would report checkouts too, but it costs
 * three clock reads on every checkout and checkin, listened to or not: a third of a checkout.)
 * <p>
 * A connection a hook refuses is closed here and never reaches the pool. HikariCP logs such
 * failures only at DEBUG, so the first one of this pool is logged here at WARN (later ones at
 * DEBUG, since HikariCP keeps trying) and each one is an {@code ERROR} event.
 */
final class ObservedDataSource implements DataSource {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ObservedDataSource.class);

    private final DataSource driver;
    private final ListenerSet listeners;
    private final String pool;
    private final String engine;
    private final ConnectionRole role;
    private final ConnectionSetups setups;
    private final TransactionControl transactions;
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * @param driver the database type's data source for this pool ({@code DatabasePlace.driver})
     * @param transactions the type's, to check that the hooks left no transaction open
     */
    ObservedDataSource(DataSource driver, ListenerSet listeners, String pool, String engine, ConnectionRole role,
            ConnectionSetups setups, TransactionControl transactions) {
        this.driver = driver;
        this.listeners = listeners;
        this.pool = pool;
        this.engine = engine;
        this.role = role;
        this.setups = setups;
        this.transactions = transactions;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return observed(driver.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return observed(driver.getConnection(username, password));
    }

    private Connection observed(Connection connection) throws SQLException {
        if (!setups.isEmpty()) {
            try {
                setups.apply(engine, connection, role, transactions);
            } catch (SQLException e) {
                try {
                    connection.close();
                } catch (SQLException alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
                if (warned.compareAndSet(false, true)) {
                    LOG.warn("[{}] {} refused a new connection: {}", engine, pool, e.getMessage());
                } else {
                    LOG.debug("[{}] {} refused a new connection: {}", engine, pool, e.getMessage());
                }
                if (!listeners.isEmpty()) {
                    listeners.fire(EngineEvent.Type.ERROR, e.getMessage(), new ConnectionException(engine,
                            e.getMessage(), EngineException.NO_RESULT_CODE, e));
                }
                throw e;
            }
        }
        if (!listeners.isEmpty()) {
            listeners.fire(EngineEvent.Type.CONNECT, pool + " opened a connection", null);
        }
        return connection;
    }

    // The rest is the driver's: HikariCP sets the login timeout here when the pool starts.

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return driver.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        driver.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        driver.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return driver.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(driver) ? iface.cast(driver) : driver.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(driver) || driver.isWrapperFor(iface);
    }
}
