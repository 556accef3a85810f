package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.ErrorCodes;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.figures.EngineMetrics;
import dev.sqliteengine.impl.pool.CurrentGeneration;
import dev.sqliteengine.impl.pool.PoolGeneration;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How {@code connect()} and the engine's {@code DataSource} check out a connection: the engine's
 * {@link ClientConnection} over the current generation's data source pool.
 * <p>
 * This is the path benchmarked against raw HikariCP (BENCHMARKS.md): one object per engine, with
 * final fields only, so a checkout costs the pool's own work, the sampled metrics and one
 * {@link ClientConnection}, and nothing else; the {@code CHECKOUT} event is built only when
 * someone listens.
 */
public final class ClientCheckout {

    private final CurrentGeneration current;
    /** The gate as connect() and the DataSource's connections share it. */
    private final SharedWriter clients;
    private final ListenerSet listeners;
    private final EngineMetrics metrics;
    /** What the database's error codes mean: a failed {@link #connect()} says it. */
    private final ErrorCodes errors;

    public ClientCheckout(CurrentGeneration current, SharedWriter clients, ListenerSet listeners, EngineMetrics metrics,
            ErrorCodes errors) {
        this.current = current;
        this.errors = errors;
        this.clients = clients;
        this.listeners = listeners;
        this.metrics = metrics;
    }

    /**
     * {@code Engine.connect()}: a connection, or the failure as an {@link EngineException} that is
     * counted and is an {@code ERROR} event.
     */
    public Connection connect() {
        EngineException failure;
        try {
            return connection();
        } catch (SQLException e) {
            failure = errors.map(clients.engine, "checking out a connection", e, current.latest().summary());
        } catch (ConnectionException refused) {
            failure = refused; // failed, closing, or a switch that did not finish in time
        }
        listeners.fire(EngineEvent.Type.ERROR, failure.getMessage(), failure);
        metrics.failed(failure);
        throw failure;
    }

    /**
     * @throws SQLException when the pool cannot hand out a connection
     * @throws ConnectionException when the engine refuses (see {@link CurrentGeneration#serving()})
     */
    public Connection connection() throws SQLException {
        // Kept small, so that the JIT inlines it into its callers: what is rare is in methods of its own.
        PoolGeneration generation = current.serving();
        long started = EngineMetrics.clientCheckoutStarting();
        Connection pooled;
        try {
            pooled = generation.dataSource().getConnection();
        } catch (SQLException e) {
            return afterFailure(generation, e);
        }
        if (generation.retired()) {
            return afterRetired(pooled);
        }
        if (!listeners.isEmpty()) {
            listeners.fire(EngineEvent.Type.CHECKOUT, "connection handed out", null);
        }
        return new ClientConnection(pooled, generation, clients, metrics.clientCheckedOut(started));
    }

    /** The pool failed to hand out a connection: an error, unless a switch closed it under us. */
    private Connection afterFailure(PoolGeneration generation, SQLException e) throws SQLException {
        if (!generation.retired()) {
            metrics.clientCheckoutFailed(e);
            throw e;
        }
        return connection(); // the pool closed under us during a switch: ask for the new one
    }

    /**
     * Handed out just as a switch retired the pool, which would close it under its user after
     * drainTimeout: give it back, and wait for the new pool like everyone else.
     */
    private Connection afterRetired(Connection pooled) throws SQLException {
        pooled.close();
        return connection();
    }
}
