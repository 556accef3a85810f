package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConnectionSetup;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.impl.pool.ConnectionSetups;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link EngineFactory}'s engines: in OSGi a service (through the impl bundle's component),
 * outside OSGi behind the {@code StandaloneEngineFactory} that {@code ServiceLoader} finds (which
 * adds the MXBean when asked to). Every engine it creates is checked against the others of the
 * same {@link EngineRegistry}.
 */
public final class SqliteEngineFactory implements EngineFactory {

    private final EngineRegistry registry;

    /**
     * Outside OSGi: engines are unique among those this factory creates,
     * and confined below the folder named by the system property
     * {@value EngineRegistry#ALLOWED_ROOT}, if it is set.
     */
    public SqliteEngineFactory() {
        this(new EngineRegistry(rootFrom(System.getProperty(EngineRegistry.ALLOWED_ROOT))));
    }

    static java.nio.file.Path rootFrom(String value) {
        return value == null || value.isBlank() ? null : java.nio.file.Path.of(value.trim());
    }

    /** @param registry the registry shared with every other engine of the same container */
    public SqliteEngineFactory(EngineRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    @Override
    public SqliteEngine create(Map<String, ?> properties) {
        return create(properties, List.of());
    }

    /** The hooks stay the engine's for its whole life: nothing here changes them later. */
    @Override
    public SqliteEngine create(Map<String, ?> properties, List<? extends ConnectionSetup> setups) {
        return create(EngineSettings.parse(Objects.requireNonNull(properties, "properties"), null, null), setups);
    }

    /** {@link #create(Map, List)} with the properties parsed already (the standalone factory reads them first). */
    public SqliteEngine create(EngineSettings settings, List<? extends ConnectionSetup> setups) {
        ConnectionSetups hooks = ConnectionSetups.given(setups);
        return SqliteEngine.open(settings, registry, List.of(), engine -> hooks);
    }

    @Override
    public Map<String, Object> validate(Map<String, ?> properties) {
        return validate(EngineSettings.parse(Objects.requireNonNull(properties, "properties"), null, null));
    }

    /** {@link #validate(Map)} with the properties parsed already. */
    public Map<String, Object> validate(EngineSettings settings) {
        // Everything about the place that can be known without creating a folder or a file; an
        // engine of the same name may hold the file (it is the one being reconfigured).
        registry.files().requireFree(registry.typeOf(settings).claimFor(settings, registry.allowedRoot()), settings.name());
        return settings.asProperties();
    }

    @Override
    public String toString() {
        return "SqliteEngineFactory";
    }
}
