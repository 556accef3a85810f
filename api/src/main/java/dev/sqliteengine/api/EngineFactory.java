package dev.sqliteengine.api;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates engines from the same properties that the Config Admin factory configuration
 * {@value EngineProperties#FACTORY_PID} takes (see {@link EngineProperties}).
 * <p>
 * In OSGi it is a service. Outside OSGi, on the module path or the class path, it is found with
 * {@code ServiceLoader.load(EngineFactory.class)}. Engines created by a factory are owned by the
 * caller, who must close them; they share name and file uniqueness checks with every other engine
 * the same factory (in OSGi: the same impl bundle) runs.
 */
@ProviderType
public interface EngineFactory {

    /**
     * Validates the properties, opens the database and returns a running engine. Nothing is
     * left open when this throws.
     *
     * @param properties the configuration; values may be of the documented type or a string
     *        that converts to it. {@value EngineProperties#NAME} is required here, and so is
     *        {@value EngineProperties#PATH} for SQLite ({@value EngineProperties#URL} or
     *        {@value EngineProperties#HOST} for PostgreSQL).
     * @return a running engine
     * @throws ConfigurationException when a property is invalid; {@link ConfigurationException#property()}
     *         names it
     * @throws ConnectionException when the database cannot be opened: at once, without trying
     *         again, also when a PostgreSQL server cannot be reached yet (its
     *         {@link EngineException#sqlState()} says why); whether and when to try again is the
     *         caller's (in OSGi, the component of a configuration tries again by itself)
     */
    Engine create(Map<String, ?> properties);

    /**
     * Like {@link #create(Map)}, with hooks that set up every new physical connection of the
     * engine before it is used (custom SQL functions, collations, per-connection settings). The
     * engine keeps these hooks for its whole life; see {@link ConnectionSetup} for what a hook
     * may do and how a failing one is reported. (Hooks registered as OSGi services apply to
     * engines made from configurations, not to engines made here.)
     *
     * @param properties the configuration, as for {@link #create(Map)}
     * @param setups the hooks, run in this order on each new connection; may be empty
     * @return a running engine, its first connections set up by the hooks
     * @throws ConfigurationException when a property is invalid
     * @throws ConnectionException when the database cannot be opened, or a hook failed on one of
     *         the engine's first connections (the message names the hook)
     */
    Engine create(Map<String, ?> properties, List<? extends ConnectionSetup> setups);

    /**
     * Validates the properties with exactly the rules {@link #create(Map)} and the Config Admin
     * component apply, without opening or creating anything: every value, and what can be known
     * of the path without creating it (not a folder, not below a file, not on a pseudo or
     * read-only file system, inside the allowed root, not open by an engine of another name), and
     * that pgjdbc can read a PostgreSQL URL. What only creating the file or reaching the server
     * reveals (a folder that cannot be created, a wrong password) is found when the engine opens.
     *
     * @param properties the configuration to check
     * @return the effective settings: every known property with its converted value, defaults
     *         filled in
     * @throws ConfigurationException when a property is invalid
     */
    Map<String, Object> validate(Map<String, ?> properties);
}
