package dev.sqliteengine.config;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineFailure;
import dev.sqliteengine.api.EngineFailures;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineState;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

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

    /**
     * Why engines failed to open, from the impl bundle. Optional and dynamic: it may come after
     * this component, and without it a configuration that cannot open shows as WAITING.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EngineFailures failures;
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
            // Config Admin would hand out that configuration for update and overwrite it
            store.findByPid(name).ifPresent(existing -> {
                throw new EngineException(name, "the configuration " + existing.getPid() + " exists already and names"
                        + " the engine " + TerminalText.escape(ConfigurationStore.nameOf(existing)) + "; choose another name, or change"
                        + " that configuration");
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
            Map<String, Object> typed = ConfigValues.typed(merged, effective);
            if (!meansTheSame(ConfigurationStore.propertiesOf(configuration), name, typed, effective)) {
                store.replace(configuration, typed);
            }
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
     * was one (FAILED if that engine failed a pool switch and serves nothing). Otherwise the stored properties are validated again: REJECTED with the reason if
     * they are invalid; FAILED with the reason if they are valid but the impl could not open the
     * engine; WAITING if they are fine and the engine is just not there (yet).
     */
    private EngineConfiguration describe(Configuration configuration) {
        String name = ConfigurationStore.nameOf(configuration);
        Map<String, Object> properties = ConfigurationStore.propertiesOf(configuration);
        Map<String, Object> shown = Secrets.masked(properties);
        Optional<EngineStatus> status = engines.status(name);
        if (status.isPresent()) {
            // An engine whose pool switch could open nothing is registered but serves nothing.
            boolean failed = status.get().state() == EngineState.FAILED;
            return new EngineConfiguration(name, configuration.getPid(), shown, failed ? State.FAILED : State.RUNNING,
                    failed ? status.get().lastRejection().or(() -> Optional.of("[" + name + "] the engine failed"))
                            : status.get().lastRejection());
        }
        properties.putIfAbsent(EngineProperties.NAME, name);
        try {
            factory.validate(properties);
        } catch (EngineException e) {
            return new EngineConfiguration(name, configuration.getPid(), shown, State.REJECTED,
                    Optional.of(String.valueOf(e.getMessage())));
        }
        Optional<EngineFailure> failure = failure(configuration.getPid());
        return failure.isPresent()
                ? new EngineConfiguration(name, configuration.getPid(), shown, State.FAILED,
                        Optional.of(failure.get().message()))
                : new EngineConfiguration(name, configuration.getPid(), shown, State.WAITING, Optional.empty());
    }

    /** @return why the engine of that configuration failed to open, if the impl says so */
    Optional<EngineFailure> failure(String pid) {
        EngineFailures current = failures;
        return current == null ? Optional.empty() : current.get(pid);
    }

    /**
     * Whether an update would store nothing new: the stored configuration gives the same
     * effective settings ({@code pragma.foreign_keys=ON} and {@code =1} are one setting) and the
     * same other properties. Storing it anyway would only make Config Admin deliver, and
     * FileInstall or Karaf write back, a change that changes nothing.
     */
    private boolean meansTheSame(Map<String, Object> stored, String name, Map<String, Object> updated,
            Map<String, Object> effective) {
        Map<String, Object> storedWithName = new LinkedHashMap<>(stored);
        storedWithName.putIfAbsent(EngineProperties.NAME, name);
        try {
            if (!factory.validate(storedWithName).equals(effective)) {
                return false;
            }
        } catch (EngineException storedIsInvalid) {
            return false;
        }
        Map<String, Object> storedOthers = new LinkedHashMap<>(storedWithName);
        Map<String, Object> updatedOthers = new LinkedHashMap<>(updated);
        storedOthers.keySet().removeAll(effective.keySet());
        updatedOthers.keySet().removeAll(effective.keySet());
        return storedOthers.keySet().equals(updatedOthers.keySet())
                && storedOthers.entrySet().stream().allMatch(e -> Objects.deepEquals(e.getValue(), updatedOthers.get(e.getKey())));
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
