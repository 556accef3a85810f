package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.impl.engine.EngineRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * What every engine of this bundle shares: the registry that keeps names and files unique, the
 * record of configured engines that failed to open, the thread on which they try again, and the native library, loaded from the bundle's data area before the first engine opens. A
 * component (service of a private type, so only this bundle sees it) rather than static state:
 * a bundle update or a second framework in the same JVM gets its own.
 */
@Component(service = EngineHost.class)
public final class EngineHost {

    private final EngineRegistry registry;
    private final OpenFailures failures = new OpenFailures();
    /** Where configured engines whose database could not be reached try to open again (see {@link OpenRetries}). */
    private final java.util.concurrent.ScheduledExecutorService opener =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
                Thread t = new Thread(task, "sqlite-engine-opener");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param context the bundle context; its framework property
     *        {@value EngineRegistry#ALLOWED_ROOT}, when set, confines every engine's file below
     *        that folder
     */
    @Activate
    public EngineHost(BundleContext context) {
        String root = context.getProperty(EngineRegistry.ALLOWED_ROOT);
        this.registry = new EngineRegistry(root == null || root.isBlank() ? null : java.nio.file.Path.of(root.trim()));
        NativeLibrary.loadFrom(context.getDataFile("native"));
    }

    /** Stops the maintenance, health and opener threads; DS deactivates the engines, which reference this, first. */
    @Deactivate
    void deactivate() {
        opener.shutdownNow();
        registry.scheduler().shutdown();
        registry.healthThreads().shutdown();
    }

    EngineRegistry registry() {
        return registry;
    }

    /** @return the thread on which configured engines try again to open, one attempt at a time */
    java.util.concurrent.ScheduledExecutorService opener() {
        return opener;
    }

    /** @return why configured engines failed to open, by configuration PID */
    OpenFailures failures() {
        return failures;
    }
}
