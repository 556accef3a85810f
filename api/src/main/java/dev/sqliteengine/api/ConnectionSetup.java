package dev.sqliteengine.api;

import java.sql.Connection;
import java.sql.SQLException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Prepares every new physical connection of an engine before it is first used, as SQLAlchemy's
 * {@code connect} event does: the place to register custom SQL functions
 * ({@code org.sqlite.Function.create(connection, "name", function)}), collations
 * ({@code org.sqlite.Collation.create}) or per-connection settings.
 * <p>
 * <b>Which connections.</b> Every connection an engine opens from then on: the writer, the
 * readers and the connections of the {@code DataSource} pool ({@link ConnectionRole}), of the
 * first pool generation and of every later one (a live reconfiguration opens new connections, and
 * they are set up like the first ones). Connections already open are not touched.
 * <p>
 * <b>Where hooks come from.</b> In an OSGi framework, a {@code ConnectionSetup} service applies
 * to every engine made from a configuration, or, with the service property
 * {@value EngineProperties#ENGINE_NAME} (a {@code String}), to the engine of that name only.
 * When such a service appears, leaves, or changes its properties, each engine it concerns
 * switches to a new pool generation, exactly as for a configuration change that needs new
 * connections: work already running finishes on the old connections, new work runs on
 * connections that all have the same hooks applied. Outside OSGi, pass hooks to
 * {@link EngineFactory#create(java.util.Map, java.util.List)}.
 * <p>
 * <b>Order.</b> Several hooks run one after the other on each connection: services in the order
 * of their {@code service.ranking} (highest first; for equal rankings, the service registered
 * first goes first); hooks given to {@code EngineFactory.create} in list order.
 * <p>
 * <b>What a hook may do.</b> It receives the driver's own connection (sqlite-jdbc's
 * {@code org.sqlite.SQLiteConnection}, in auto-commit mode, with the engine's pragmas already
 * applied). It may register functions, aggregates, window functions, collations and update or
 * commit hooks, and run {@code PRAGMA}s that affect this connection only. It must not begin a
 * transaction (or leave one open), change auto-commit or read-only mode, close the connection,
 * keep it for later, or write to the database (reader connections are query-only right after,
 * and a write here would bypass the engine's writer queue); nor change the engine's own pragmas
 * ({@code journal_mode}, {@code query_only}, {@code busy_timeout}, …), which the engine relies
 * on. The engine checks after the hooks ran that no transaction is open and auto-commit is on,
 * and fails the connection otherwise.
 * <p>
 * <b>Threads.</b> Hooks are called on whichever thread opens the connection (a caller waiting
 * for one, or a pool's own thread), possibly on several threads at once for different
 * connections; they must be thread safe and quick.
 * <p>
 * <b>Failure.</b> A hook that throws fails the opening of that connection, with an error naming
 * the hook and the role: the connection is closed and never used. When a hook appears and its
 * first connections fail, the engine's new pool generation does not open: the engine keeps
 * serving with its previous connections and hooks, and records the failure like a rejected
 * configuration ({@link EngineStatus#lastRejection()}, a {@code REJECTED} event). Since the
 * hooks of an engine are applied together, so that every connection agrees, other hook changes
 * for that engine are rejected too while the failing hook stays registered. A hook that fails
 * only later, on a connection a pool opens to grow or to replace an old one, makes that
 * connection fail: callers waiting for a connection get the pool's timeout error with the
 * hook's failure as its cause, the failure is logged and reported as an {@code ERROR} event.
 */
@ConsumerType
@FunctionalInterface
public interface ConnectionSetup {

    /**
     * Sets up one new connection.
     *
     * @param engineName the name of the engine that opened it
     * @param connection the driver's connection ({@code org.sqlite.SQLiteConnection}), in
     *        auto-commit mode
     * @param role the pool it belongs to
     * @throws SQLException to refuse the connection; the engine closes it
     */
    void setup(String engineName, Connection connection, ConnectionRole role) throws SQLException;
}
