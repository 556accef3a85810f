package dev.sqliteengine.config;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@link Engine} services that are registered now, found by their
 * {@value EngineProperties#ENGINE_NAME} property. A tracker rather than a DS reference: engines
 * come and go with their configurations, and a static reference would restart the component on
 * every change.
 */
final class RunningEngines implements AutoCloseable {

    private final ServiceTracker<Engine, Engine> tracker;

    RunningEngines(BundleContext context) {
        this.tracker = new ServiceTracker<>(context, Engine.class, null);
        tracker.open();
    }

    /** @return the engine registered under this name, if there is one */
    Optional<Engine> find(String name) {
        ServiceReference<Engine>[] references = tracker.getServiceReferences();
        if (references == null) {
            return Optional.empty();
        }
        for (ServiceReference<Engine> reference : references) {
            if (name.equals(reference.getProperty(EngineProperties.ENGINE_NAME))) {
                Engine engine = tracker.getService(reference);
                if (engine != null) {
                    return Optional.of(engine);
                }
            }
        }
        return Optional.empty();
    }

    /** @return the status of the engine registered under this name, unless there is none or it just closed */
    Optional<EngineStatus> status(String name) {
        try {
            return find(name).map(Engine::status);
        } catch (EngineException closedMeanwhile) {
            return Optional.empty();
        }
    }

    /** @return the health of the engine registered under this name, unless there is none or it just closed */
    Optional<EngineHealth> health(String name) {
        try {
            return find(name).map(Engine::health);
        } catch (EngineException closedMeanwhile) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        tracker.close();
    }
}
