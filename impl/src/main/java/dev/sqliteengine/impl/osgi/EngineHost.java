package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.impl.engine.EngineRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * What every engine of this bundle shares: the registry that keeps names and files unique, the
 * record of configured engines that failed to open, and the native library, loaded from the bundle's data area before the first engine opens. A
 * component (service of a private type, so only this bundle sees it) rather than static state:
 * a bundle update or a second framework in the same JVM gets its own.
 */
@Component(service = EngineHost.class)
public final class EngineHost {

    private final EngineRegistry registry;
    private final OpenFailures failures = new OpenFailures();

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

    /** Stops the maintenance and health threads; DS deactivates the engines, which reference this, first. */
    @Deactivate
    void deactivate() {
        registry.scheduler().shutdown();
        registry.healthThreads().shutdown();
    }

    EngineRegistry registry() {
        return registry;
    }

    /** @return why configured engines failed to open, by configuration PID */
    OpenFailures failures() {
        return failures;
    }
}
