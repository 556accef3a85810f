package dev.sqliteengine.config;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The engine configurations in Config Admin, found by engine name: the factory configurations of
 * {@value EngineProperties#FACTORY_PID}. It stores what it is given; validation happens before.
 */
final class ConfigurationStore {

    static final String FILTER = "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + EngineProperties.FACTORY_PID + ")";

    /** Config Admin's own properties: they belong to the configuration, not to the engine. */
    private static final Set<String> ADMIN_KEYS = Set.of(Constants.SERVICE_PID,
            ConfigurationAdmin.SERVICE_FACTORYPID, ConfigurationAdmin.SERVICE_BUNDLELOCATION);

    /** Any bundle may see the configurations: the impl bundle consumes them. */
    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin admin;

    ConfigurationStore(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    /** @return every engine configuration that has properties */
    List<Configuration> all() {
        try {
            Configuration[] found = admin.listConfigurations(FILTER);
            return found == null ? Collections.emptyList() : Arrays.asList(found);
        } catch (IOException e) {
            throw new EngineException(null, "Config Admin could not list the engine configurations: " + e.getMessage(),
                    EngineException.NO_RESULT_CODE, e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(FILTER, e);
        }
    }

    Optional<Configuration> find(String name) {
        return all().stream().filter(c -> name.equals(nameOf(c))).findFirst();
    }

    /**
     * @return the stored configuration {@code dev.sqliteengine.engine~<name>}, whatever engine
     *         it names: a FileInstall file named for one engine may name another
     */
    Optional<Configuration> findByPid(String name) {
        String pid = pidOf(name);
        return all().stream().filter(c -> pid.equals(c.getPid())).findFirst();
    }

    /** @return the PID of the factory configuration named {@code name} */
    static String pidOf(String name) {
        return EngineProperties.FACTORY_PID + "~" + name;
    }

    /** Stores a new factory configuration {@code dev.sqliteengine.engine~<name>}. */
    Configuration create(String name, Map<String, Object> properties) {
        try {
            Configuration configuration = admin.getFactoryConfiguration(EngineProperties.FACTORY_PID, name, ANY_LOCATION);
            configuration.update(toDictionary(properties));
            return configuration;
        } catch (IOException e) {
            throw new EngineException(name, "Config Admin could not store the configuration: " + e.getMessage(),
                    EngineException.NO_RESULT_CODE, e);
        }
    }

    /** Replaces the properties of an existing configuration. */
    void replace(Configuration configuration, Map<String, Object> properties) {
        try {
            configuration.update(toDictionary(properties));
        } catch (IOException | IllegalStateException e) {
            throw new EngineException(nameOf(configuration), "Config Admin could not store the configuration: "
                    + e.getMessage(), EngineException.NO_RESULT_CODE, e);
        }
    }

    void delete(Configuration configuration) {
        try {
            configuration.delete();
        } catch (IOException e) {
            throw new EngineException(nameOf(configuration), "Config Admin could not delete the configuration: "
                    + e.getMessage(), EngineException.NO_RESULT_CODE, e);
        } catch (IllegalStateException deletedMeanwhile) {
            // Someone else deleted it first: the outcome is the one asked for.
        }
    }

    /**
     * The engine's name, as the impl derives it: the {@value EngineProperties#NAME} property if
     * there is one, otherwise the PID without the factory PID and the one separator after it
     * ({@code dev.sqliteengine.engine~orders} gives {@code orders}, a PID Config Admin made up,
     * {@code dev.sqliteengine.engine.<uuid>}, gives the uuid).
     */
    static String nameOf(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        Object name = properties == null ? null : properties.get(EngineProperties.NAME);
        if (name instanceof String s && !s.isBlank()) {
            return s.trim();
        }
        String pid = configuration.getPid();
        if (pid.startsWith(EngineProperties.FACTORY_PID) && pid.length() > EngineProperties.FACTORY_PID.length() + 1) {
            return pid.substring(EngineProperties.FACTORY_PID.length() + 1);
        }
        int tilde = pid.indexOf('~');
        return tilde < 0 ? pid : pid.substring(tilde + 1);
    }

    /** @return the configuration's properties without Config Admin's own, in a mutable map */
    static Map<String, Object> propertiesOf(Configuration configuration) {
        Map<String, Object> out = new LinkedHashMap<>();
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties != null) {
            for (String key : Collections.list(properties.keys())) {
                if (!ADMIN_KEYS.contains(key)) {
                    out.put(key, properties.get(key));
                }
            }
        }
        return out;
    }

    private static Dictionary<String, Object> toDictionary(Map<String, Object> properties) {
        return new Hashtable<>(properties);
    }
}
