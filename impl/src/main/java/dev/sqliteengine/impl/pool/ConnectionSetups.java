package dev.sqliteengine.impl.pool;

import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.ConnectionSetup;
import dev.sqliteengine.impl.database.TransactionControl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The {@link ConnectionSetup} hooks of one pool generation, in the order they run. Immutable: a
 * generation's connections all get the same hooks, and a different set means a new generation
 * (compared with {@link #equals}: the same hook objects, with the same names, in the same order).
 */
public final class ConnectionSetups {

    /** No hooks. */
    public static final ConnectionSetups NONE = new ConnectionSetups(List.of());

    /**
     * One hook with the name errors give it.
     *
     * @param name how messages name the hook: its class, and where it came from
     * @param setup the hook
     */
    public record Hook(String name, ConnectionSetup setup) {
        public Hook {
            Objects.requireNonNull(name);
            Objects.requireNonNull(setup);
        }
    }

    private final List<Hook> hooks;

    private ConnectionSetups(List<Hook> hooks) {
        this.hooks = List.copyOf(hooks);
    }

    /** @return the hooks, run in this order */
    public static ConnectionSetups of(List<Hook> hooks) {
        return hooks.isEmpty() ? NONE : new ConnectionSetups(hooks);
    }

    /**
     * Hooks given to {@code EngineFactory.create}: named by their position and class.
     *
     * @throws NullPointerException naming the position of a null hook
     */
    public static ConnectionSetups given(List<? extends ConnectionSetup> setups) {
        Objects.requireNonNull(setups, "setups");
        Hook[] named = new Hook[setups.size()];
        for (int i = 0; i < named.length; i++) {
            ConnectionSetup setup = Objects.requireNonNull(setups.get(i), "setups[" + i + "]");
            named[i] = new Hook("#" + (i + 1) + " " + setup.getClass().getName(), setup);
        }
        return of(List.of(named));
    }

    boolean isEmpty() {
        return hooks.isEmpty();
    }

    /**
     * Runs every hook on a new connection, then checks that they left it as they found it: in
     * auto-commit mode, with no transaction open (the database is asked).
     *
     * @throws SQLException naming the hook that failed or broke the rules, and the role; the
     *         caller closes the connection
     */
    void apply(String engine, Connection connection, ConnectionRole role, TransactionControl transactions)
            throws SQLException {
        for (Hook hook : hooks) {
            try {
                hook.setup().setup(engine, connection, role);
            } catch (SQLException | RuntimeException | LinkageError e) {
                // LinkageError: the hook's bundle may be updated or gone under it.
                throw new SQLException(failure(hook, role) + " failed: " + e, e);
            }
            if (connection.isClosed() || !connection.getAutoCommit() || transactions.inTransaction(connection)) {
                throw new SQLException(failure(hook, role) + " left the connection closed, in manual-commit mode or"
                        + " inside a transaction; a connection setup hook must not begin transactions, change auto-commit"
                        + " or close the connection");
            }
        }
    }

    private static String failure(Hook hook, ConnectionRole role) {
        // WRITER -> "writer", DATA_SOURCE -> "data source"
        String pool = role.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return "connection setup hook " + hook.name() + " on a new " + pool + " connection";
    }

    /** @return the hooks' names, in order, for messages */
    public List<String> names() {
        return hooks.stream().map(Hook::name).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionSetups that && hooks.equals(that.hooks);
    }

    @Override
    public int hashCode() {
        return hooks.hashCode();
    }

    @Override
    public String toString() {
        return names().toString();
    }
}
