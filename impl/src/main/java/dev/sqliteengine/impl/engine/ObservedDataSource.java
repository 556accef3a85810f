package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineEvent;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * The driver's data source, where each new physical connection of a pool is prepared: the
 * generation's {@link ConnectionSetups} run on it, and it is reported as a {@code connected}
 * event. HikariCP calls it only when it opens a connection, never on checkout, so the hot path
 * stays HikariCP's own. (HikariCP's metrics tracker would report checkouts too, but it costs
 * three clock reads on every checkout and checkin, listened to or not: a third of a checkout.)
 * <p>
 * A connection a hook refuses is closed here and never reaches the pool. HikariCP logs such
 * failures only at DEBUG, so the first one of this pool is logged here at WARN (later ones at
 * DEBUG, since HikariCP keeps trying) and each one is an {@code ERROR} event.
 */
final class ObservedDataSource extends SQLiteDataSource {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ObservedDataSource.class);

    private final transient ListenerSet listeners;
    private final String pool;
    private final String engine;
    private final ConnectionRole role;
    private final transient ConnectionSetups setups;
    private final AtomicBoolean warned = new AtomicBoolean();

    ObservedDataSource(SQLiteConfig config, ListenerSet listeners, String pool, String engine, ConnectionRole role,
            ConnectionSetups setups) {
        super(config);
        this.listeners = listeners;
        this.pool = pool;
        this.engine = engine;
        this.role = role;
        this.setups = setups;
    }

    @Override
    public SQLiteConnection getConnection(String username, String password) throws SQLException {
        SQLiteConnection connection = super.getConnection(username, password);
        if (!setups.isEmpty()) {
            try {
                setups.apply(engine, connection, role);
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
}
