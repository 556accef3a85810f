package dev.sqliteengine.txcontrol;

import dev.sqliteengine.api.Engine;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.transaction.control.TransactionControl;
import org.osgi.service.transaction.control.TransactionException;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProvider;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProviderFactory;

/**
 * The {@link JDBCConnectionProvider} service of one engine: connections that take part in the
 * scopes of the {@link TransactionControl} given to {@link #getResource}, made by the installed
 * {@link JDBCConnectionProviderFactory} over the engine's {@code DataSource}.
 * <p>
 * Why it is more than the factory's provider: read-only scopes must reach the engine as
 * read-only connections ({@link ReadOnlyScopeDataSource}), and only the {@code TransactionControl}
 * that runs a scope knows whether it is read-only. So the factory's providers are made lazily,
 * one per {@code TransactionControl} a caller passes (in practice the framework's one), each over
 * a {@code DataSource} that asks that very {@code TransactionControl}. Pooling is off in them:
 * the engine pools, and a second pool would hold engine connections that its own pool cannot
 * count, close at reconfiguration or roll back at check-in.
 * <p>
 * {@link #close()} releases every provider made here; their connections then fail, and
 * {@code getResource} fails with a message naming the engine. The lock guards only the map and
 * the closed flag; getting a resource happens once per consumer, never per statement.
 */
final class EngineConnectionProvider implements JDBCConnectionProvider {

    /** What the factory is told: the engine pools, so the provider must not. */
    private static final Map<String, Object> UNPOOLED = Map.of(JDBCConnectionProviderFactory.CONNECTION_POOLING_ENABLED,
            false);

    private final String engineName;
    private final Engine engine;
    private final JDBCConnectionProviderFactory factory;

    private final Map<TransactionControl, JDBCConnectionProvider> providers = new IdentityHashMap<>();
    private boolean closed;

    EngineConnectionProvider(Engine engine, JDBCConnectionProviderFactory factory) {
        this.engineName = engine.name();
        this.engine = engine;
        this.factory = factory;
    }

    /**
     * @return a connection that, in each scope of {@code txControl}, stands for one engine
     *         connection: read-only in a read-only scope, in a transaction the scope commits or
     *         rolls back otherwise
     * @throws TransactionException when the engine has gone away since this service was found
     */
    @Override
    public Connection getResource(TransactionControl txControl) throws TransactionException {
        if (txControl == null) {
            throw new TransactionException("[" + engineName + "] getResource needs the TransactionControl whose scopes"
                    + " will use the connection, not null");
        }
        JDBCConnectionProvider provider;
        synchronized (this) {
            if (closed) {
                throw new TransactionException("[" + engineName + "] the engine's JDBCConnectionProvider is closed:"
                        + " the engine or the JDBCConnectionProviderFactory went away; get the service again");
            }
            provider = providers.computeIfAbsent(txControl, t -> factory.getProviderFor(
                    new ReadOnlyScopeDataSource(engine.dataSource(), t), UNPOOLED));
        }
        return provider.getResource(txControl);
    }

    /** Releases the factory's providers made here; idempotent. */
    void close() {
        List<JDBCConnectionProvider> released;
        synchronized (this) {
            closed = true;
            released = new ArrayList<>(providers.values());
            providers.clear();
        }
        for (JDBCConnectionProvider provider : released) {
            try {
                factory.releaseProvider(provider);
            } catch (RuntimeException e) {
                // the factory already released it with its own bundle or service; nothing is left open
            }
        }
    }

    @Override
    public String toString() {
        return "JDBCConnectionProvider of engine " + engineName;
    }
}
