package dev.sqliteengine.itests.support;

import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineProperties;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Engines made through Config Admin, as a user makes them, and what the tests wait for. Every
 * configuration made here is deleted by {@link #close()}, which waits until its services are
 * gone, so the next test may reuse names and files.
 */
public final class Engines implements AutoCloseable {

    /** How long an engine may take to appear or go away: opening a pool is quick, CM is asynchronous. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final BundleContext context;
    private final ConfigurationAdmin admin;
    private final Map<String, Configuration> configurations = new LinkedHashMap<>();
    private final List<ServiceReference<?>> used = new ArrayList<>();

    public Engines(BundleContext context, ConfigurationAdmin admin) {
        this.context = context;
        this.admin = admin;
    }

    /**
     * Creates the factory configuration {@code dev.sqliteengine.engine~name}.
     *
     * @param keyValues property names and values, alternating
     * @return the configuration, already updated with the properties
     */
    public Configuration configure(String name, Object... keyValues) throws IOException {
        Configuration configuration = admin.getFactoryConfiguration(EngineProperties.FACTORY_PID, name, "?");
        Dictionary<String, Object> properties = properties(keyValues);
        // keyed by the engine's name, which the name property overrides
        configurations.put(String.valueOf(Optional.ofNullable(properties.get(EngineProperties.NAME)).orElse(name)),
                configuration);
        configuration.update(properties);
        return configuration;
    }

    /** Updates a configuration: its current properties with these put over them. */
    public void update(Configuration configuration, Object... keyValues) throws IOException {
        Dictionary<String, Object> properties = configuration.getProperties();
        Dictionary<String, Object> changes = properties(keyValues);
        for (String key : java.util.Collections.list(changes.keys())) {
            properties.put(key, changes.get(key));
        }
        configuration.update(properties);
    }

    /** Waits for the {@code type} service of engine {@code name} and gets it; released by {@link #close()}. */
    public <T> T service(Class<T> type, String name) {
        ServiceReference<T> reference = reference(type, name);
        T service = context.getService(reference);
        if (service == null) {
            throw new AssertionError(type.getSimpleName() + " of engine " + name + " is registered but has no object");
        }
        used.add(reference);
        return service;
    }

    /** Waits for the {@code type} service of engine {@code name} (matched on {@code engine.name}). */
    public <T> ServiceReference<T> reference(Class<T> type, String name) {
        return referenceMatching(type, filter(EngineProperties.ENGINE_NAME, name));
    }

    /** Waits for a {@code type} service matching an LDAP filter. */
    public <T> ServiceReference<T> referenceMatching(Class<T> type, String filter) {
        return await().atMost(TIMEOUT).until(() -> first(type, filter), r -> r != null);
    }

    /** @return how many services of any type carry {@code engine.name=name} right now */
    public int registered(String name) throws InvalidSyntaxException {
        ServiceReference<?>[] references = context.getAllServiceReferences(null,
                filter(EngineProperties.ENGINE_NAME, name));
        return references == null ? 0 : references.length;
    }

    /** Waits until no service carries {@code engine.name=name}. */
    public void awaitGone(String name) {
        await().atMost(TIMEOUT).until(() -> registered(name) == 0);
    }

    /** Deletes the configurations made here and waits until their engines' services are gone. */
    @Override
    public void close() throws Exception {
        for (ServiceReference<?> reference : used) {
            context.ungetService(reference);
        }
        used.clear();
        for (Configuration configuration : configurations.values()) {
            try {
                configuration.delete();
            } catch (IllegalStateException e) {
                // the test deleted it itself
            }
        }
        for (String name : configurations.keySet()) {
            awaitGone(name);
        }
        configurations.clear();
    }

    /** @return {@code (key=value)} */
    public static String filter(String key, String value) {
        return "(" + key + "=" + value + ")";
    }

    /** @return the first column of the first row of a query, as the driver gives it */
    public static Object single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new AssertionError("no row from " + sql);
            }
            return rows.getObject(1);
        }
    }

    /** @return the value of {@code PRAGMA name} on this connection, as text (journal_mode in lower case) */
    public static String pragma(Connection connection, String name) throws SQLException {
        return String.valueOf(single(connection, "PRAGMA " + name));
    }

    /** @return the number of rows in a table */
    public static long count(Connection connection, String table) throws SQLException {
        return ((Number) single(connection, "SELECT count(*) FROM " + table)).longValue();
    }

    /** @return the number of rows in a table, read in a read unit */
    public static long count(ConnectionManager manager, String table) {
        return manager.read(c -> count(c, table));
    }

    /** @return {@code PRAGMA name} as text, read in a read unit */
    public static String pragma(ConnectionManager manager, String name) {
        return manager.read(c -> pragma(c, name));
    }

    /** @return the first column of the first row of a query run in a read unit */
    public static Object single(ConnectionManager manager, String sql) {
        return manager.read(c -> single(c, sql));
    }

    private <T> ServiceReference<T> first(Class<T> type, String filter) throws InvalidSyntaxException {
        return context.getServiceReferences(type, filter).stream().findFirst().orElse(null);
    }

    private static Dictionary<String, Object> properties(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate");
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }
}
