package dev.sqliteengine.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Manages engine configurations in Config Admin by engine name: the factory configurations of
 * {@value EngineProperties#FACTORY_PID}, with PIDs {@code dev.sqliteengine.engine~<name>}.
 * <p>
 * Every change is validated with {@link EngineFactory#validate(Map)} <em>before</em> anything is
 * written to Config Admin, so a configuration that the engine would reject is never stored: the
 * caller gets the {@link ConfigurationException} that names the offending property instead.
 * Values may be given with their documented type or as strings ({@code "8"}, {@code "true"}):
 * numbers and booleans are stored with their documented type.
 * <p>
 * The {@link EngineConfiguration} snapshots this service returns never carry secrets: the value of
 * a property that may hold one ({@link EngineProperties#isSecret}: a name that starts with
 * {@code .}, contains {@code password} or {@code secret}, or has a segment ending in {@code key}
 * or {@code token}, as {@code pragma.key} has) is replaced by {@value EngineConfiguration#MASK},
 * and no rejection message quotes it.
 * <p>
 * Implementations are thread safe.
 */
@ProviderType
public interface EngineConfigurations {

    /**
     * Validates the properties and stores them as a new factory configuration named after the
     * engine. The engine starts once Config Admin delivers the configuration, so the returned
     * state is usually {@link EngineConfiguration.State#WAITING}.
     *
     * @param name the engine's name, matching {@code [A-Za-z0-9_.-]+}; it becomes the
     *        configuration's name and its {@value EngineProperties#NAME} property
     * @param properties the engine's properties (see {@link EngineProperties});
     *        {@value EngineProperties#PATH} is required, a {@value EngineProperties#NAME} other
     *        than {@code name} is refused; null values are ignored
     * @return the stored configuration
     * @throws ConfigurationException when a property is invalid; nothing was stored
     * @throws EngineException when a configuration with this name exists already, or Config
     *         Admin cannot store it
     */
    EngineConfiguration create(String name, Map<String, ?> properties);

    /**
     * Merges the changes into an existing configuration, validates the merged result and stores
     * it. A running engine applies the change live.
     *
     * @param name the engine's name
     * @param changes the properties to set; a null value removes the property, so that its
     *        default applies again
     * @return the stored configuration
     * @throws ConfigurationException when the merged configuration is invalid; nothing was
     *         stored and the engine goes on with its current settings
     * @throws EngineException when there is no configuration with this name, or Config Admin
     *         cannot store it
     */
    EngineConfiguration update(String name, Map<String, ?> changes);

    /**
     * Lists every engine configuration in Config Admin, including those that were stored by
     * other means (FileInstall, the Configurator, the Web Console).
     *
     * @return the configurations, sorted by engine name
     */
    List<EngineConfiguration> list();

    /**
     * Looks one engine configuration up.
     *
     * @param name the engine's name
     * @return the configuration, or empty when there is none with this name
     */
    Optional<EngineConfiguration> get(String name);

    /**
     * Deletes an engine configuration; its engine, if it runs, is closed.
     *
     * @param name the engine's name
     * @return true if a configuration was deleted, false if there was none with this name
     * @throws EngineException when Config Admin cannot delete it
     */
    boolean delete(String name);
}
