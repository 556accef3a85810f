package dev.sqliteengine.config;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Engine configurations in Config Admin, validated with the impl's own rules
 * ({@link EngineFactory#validate(Map)}) before anything is written, so that a configuration the
 * engine would reject is never persisted.
 */
@Component(service = EngineConfigurations.class)
public final class EngineConfigurationsService implements EngineConfigurations {

    private final ConfigurationStore store;
    private final EngineFactory factory;
    private final RunningEngines engines;
    /** Serialises this service's read-modify-write cycles on Config Admin. */
    private final Object writeLock = new Object();

    /**
     * @param admin where configurations are stored
     * @param factory validates configurations with exactly the impl's rules
     * @param context finds the running engines
     */
    @Activate
    public EngineConfigurationsService(@Reference ConfigurationAdmin admin, @Reference EngineFactory factory,
            BundleContext context) {
        this.store = new ConfigurationStore(admin);
        this.factory = factory;
        this.engines = new RunningEngines(context);
    }

    @Deactivate
    void deactivate() {
        engines.close();
    }

    @Override
    public EngineConfiguration create(String name, Map<String, ?> properties) {
        requireName(name);
        Map<String, Object> wanted = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (value != null) {
                wanted.put(key, value);
            }
        });
        checkSameName(name, wanted.get(EngineProperties.NAME));
        wanted.put(EngineProperties.NAME, name);
        synchronized (writeLock) {
            store.find(name).ifPresent(existing -> {
                throw new EngineException(name, "an engine configuration named " + name + " exists already ("
                        + existing.getPid() + "); update it instead");
            });
            if (engines.find(name).isPresent()) {
                // an engine made by the EngineFactory service, which Config Admin does not know
                throw new ConfigurationException(name, EngineProperties.NAME, name,
                        "a name no other running engine uses, but an engine named " + name + " is running");
            }
            Map<String, Object> effective = factory.validate(wanted);
            return describe(store.create(name, ConfigValues.typed(wanted, effective)));
        }
    }

    @Override
    public EngineConfiguration update(String name, Map<String, ?> changes) {
        requireName(name);
        synchronized (writeLock) {
            Configuration configuration = store.find(name).orElseThrow(() -> noSuchConfiguration(name));
            Map<String, Object> merged = ConfigurationStore.propertiesOf(configuration);
            changes.forEach((key, value) -> {
                if (EngineProperties.NAME.equals(key)) {
                    checkSameName(name, value);
                } else if (value == null) {
                    merged.remove(key);
                } else {
                    merged.put(key, value);
                }
            });
            merged.put(EngineProperties.NAME, name);
            Map<String, Object> effective = factory.validate(merged);
            store.replace(configuration, ConfigValues.typed(merged, effective));
            return describe(configuration);
        }
    }

    @Override
    public List<EngineConfiguration> list() {
        return store.all().stream()
                .map(this::describe)
                .sorted(Comparator.comparing(EngineConfiguration::name))
                .toList();
    }

    @Override
    public Optional<EngineConfiguration> get(String name) {
        requireName(name);
        return store.find(name).map(this::describe);
    }

    @Override
    public boolean delete(String name) {
        requireName(name);
        synchronized (writeLock) {
            Optional<Configuration> configuration = store.find(name);
            configuration.ifPresent(store::delete);
            return configuration.isPresent();
        }
    }

    /**
     * RUNNING when the engine's service is registered, with the latest rejected update if there
     * was one. Otherwise the stored properties are validated again: REJECTED with the reason if
     * they are invalid, WAITING if they are fine and the engine is just not there (yet).
     */
    private EngineConfiguration describe(Configuration configuration) {
        String name = ConfigurationStore.nameOf(configuration);
        Map<String, Object> properties = ConfigurationStore.propertiesOf(configuration);
        Map<String, Object> shown = Secrets.masked(properties);
        Optional<EngineStatus> status = engines.status(name);
        if (status.isPresent()) {
            return new EngineConfiguration(name, configuration.getPid(), shown, State.RUNNING,
                    status.get().lastRejection());
        }
        properties.putIfAbsent(EngineProperties.NAME, name);
        try {
            factory.validate(properties);
            return new EngineConfiguration(name, configuration.getPid(), shown, State.WAITING, Optional.empty());
        } catch (EngineException e) {
            return new EngineConfiguration(name, configuration.getPid(), shown, State.REJECTED,
                    Optional.of(String.valueOf(e.getMessage())));
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new ConfigurationException(null, EngineProperties.NAME, name, "an engine needs a name");
        }
    }

    private static void checkSameName(String name, Object given) {
        if (given != null && !Objects.equals(name, String.valueOf(given).trim())) {
            throw new ConfigurationException(name, EngineProperties.NAME, String.valueOf(given),
                    "an engine configuration keeps its name " + name + "; create a new configuration to rename");
        }
    }

    private static EngineException noSuchConfiguration(String name) {
        return new EngineException(name, "no engine configuration named " + name);
    }
}
