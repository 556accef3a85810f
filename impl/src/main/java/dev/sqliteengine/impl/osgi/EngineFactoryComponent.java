package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.api.ConnectionSetup;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.impl.engine.SqliteEngineFactory;
import dev.sqliteengine.impl.jmx.EngineMBeans;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link EngineFactory} service. Engines it creates share name and file checks with the
 * configured engines. Their creators own them, and give them their connection setup hooks (the
 * {@code ConnectionSetup} and {@code EngineListener} whiteboards serve configured engines only),
 * but an engine must not outlive the bundle whose classes run it: whatever is still open when
 * this component goes away is closed. Each is registered in JMX ({@link EngineMBeans})
 * until it closes.
 */
@Component(service = EngineFactory.class)
public final class EngineFactoryComponent implements EngineFactory {

    private final SqliteEngineFactory factory;
    private final Set<Engine> open = ConcurrentHashMap.newKeySet();

    @Activate
    public EngineFactoryComponent(@Reference EngineHost host) {
        this.factory = new SqliteEngineFactory(host.registry());
    }

    @Override
    public Engine create(Map<String, ?> properties) {
        return create(properties, List.of());
    }

    @Override
    public Engine create(Map<String, ?> properties, List<? extends ConnectionSetup> setups) {
        SqliteEngine engine = factory.create(properties, setups);
        open.add(engine);
        EngineMBeans.Registration mbean = EngineMBeans.register(engine);
        engine.addListener(new EngineListener() {
            @Override
            public void closed(EngineEvent event) {
                mbean.unregister();
                open.remove(engine);
            }
        });
        return engine;
    }

    @Override
    public Map<String, Object> validate(Map<String, ?> properties) {
        return factory.validate(properties);
    }

    @Deactivate
    void deactivate() {
        for (Engine engine : open) {
            engine.close();
        }
    }
}
