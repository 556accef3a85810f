package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.EngineEvent;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * The driver's data source, reporting each new physical connection as a {@code connected}
 * event. HikariCP calls it only when it opens a connection, never on checkout, so the hot path
 * stays HikariCP's own. (HikariCP's metrics tracker would report checkouts too, but it costs
 * three clock reads on every checkout and checkin, listened to or not: a third of a checkout.)
 */
final class ObservedDataSource extends SQLiteDataSource {

    private static final long serialVersionUID = 1L;

    private final transient ListenerSet listeners;
    private final String pool;

    ObservedDataSource(SQLiteConfig config, ListenerSet listeners, String pool) {
        super(config);
        this.listeners = listeners;
        this.pool = pool;
    }

    @Override
    public SQLiteConnection getConnection(String username, String password) throws SQLException {
        SQLiteConnection connection = super.getConnection(username, password);
        if (!listeners.isEmpty()) {
            listeners.fire(EngineEvent.Type.CONNECT, pool + " opened a connection", null);
        }
        return connection;
    }
}
