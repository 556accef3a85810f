package dev.sqliteengine.impl.standalone;

import dev.sqliteengine.api.ConnectionSetup;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.impl.engine.SqliteEngineFactory;
import dev.sqliteengine.impl.jmx.EngineMBeans;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.management.MBeanServer;

/**
 * The {@link EngineFactory} outside OSGi, found with {@code ServiceLoader.load(EngineFactory.class)}
 * (declared with {@code provides} in the module descriptor, and in {@code META-INF/services} for
 * the class path): the engine package's {@link SqliteEngineFactory}, plus the engine's MXBean
 * when its configuration says {@code jmx.enabled=true}. The MBean is registered once the engine
 * opened and unregistered when it closes; a name that is taken fails the creation with a
 * {@code ConfigurationException} naming {@code jmx.enabled}, checked before the database is
 * opened and again when registering, with the engine closed again if it had opened.
 */
public final class StandaloneEngineFactory implements EngineFactory {

    private final SqliteEngineFactory engines;
    private final MBeanServer server;

    /** For {@link java.util.ServiceLoader}: engines checked against each other as {@link SqliteEngineFactory#SqliteEngineFactory()} does, the platform MBean server. */
    public StandaloneEngineFactory() {
        this(new SqliteEngineFactory(), ManagementFactory.getPlatformMBeanServer());
    }

    /** @param server where engines with {@code jmx.enabled=true} are registered (tests pass their own) */
    public StandaloneEngineFactory(SqliteEngineFactory engines, MBeanServer server) {
        this.engines = Objects.requireNonNull(engines);
        this.server = Objects.requireNonNull(server);
    }

    @Override
    public SqliteEngine create(Map<String, ?> properties) {
        return create(properties, List.of());
    }

    @Override
    public SqliteEngine create(Map<String, ?> properties, List<? extends ConnectionSetup> setups) {
        EngineSettings settings = EngineSettings.parse(Objects.requireNonNull(properties, "properties"), null, null);
        if (!settings.jmxEnabled()) {
            return engines.create(settings, setups);
        }
        EngineMBeans.requireFree(settings.name(), server); // before opening anything
        SqliteEngine engine = engines.create(settings, setups);
        EngineMBeans.Registration mbean;
        try {
            mbean = EngineMBeans.registerAsConfigured(engine, server);
        } catch (RuntimeException e) {
            engine.close(); // taken meanwhile: nothing stays open
            throw e;
        }
        engine.addListener(new EngineListener() {
            @Override
            public void closed(EngineEvent event) {
                mbean.unregister();
            }
        });
        return engine;
    }

    @Override
    public Map<String, Object> validate(Map<String, ?> properties) {
        EngineSettings settings = EngineSettings.parse(Objects.requireNonNull(properties, "properties"), null, null);
        Map<String, Object> valid = engines.validate(settings);
        if (settings.jmxEnabled()) {
            EngineMBeans.requireFree(settings.name(), server);
        }
        return valid;
    }

    @Override
    public String toString() {
        return "StandaloneEngineFactory";
    }
}
