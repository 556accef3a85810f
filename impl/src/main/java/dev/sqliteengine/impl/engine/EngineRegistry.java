package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.operations.HealthThreads;
import dev.sqliteengine.impl.operations.MaintenanceScheduler;
import dev.sqliteengine.impl.pool.FileClaims;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The engines running in one place (one impl bundle, or one {@code EngineFactory} outside
 * OSGi): each name is used by one engine, and each database file is opened by one engine, since
 * two engines on one file would be two writers fighting over SQLite's single write lock (engines
 * on a PostgreSQL server claim no file: the server serves any number of them).
 * All methods are synchronized; claims are rare and short.
 * <p>
 * The file claims are {@link FileClaims}'.
 */
public final class EngineRegistry {

    /**
     * The framework property (in OSGi) or system property (outside) that confines every engine's
     * database to one folder tree.
     */
    public static final String ALLOWED_ROOT = dev.sqliteengine.impl.database.DatabasePlace.ALLOWED_ROOT;

    private final Path allowedRoot;
    private final Map<String, Object> names = new HashMap<>();
    private final FileClaims files = new FileClaims();
    /** The database types engines run on; stateless, so one of each serves them all. */
    private final DatabaseTypes types = new DatabaseTypes();
    private final MaintenanceScheduler scheduler = new MaintenanceScheduler(Integer.toHexString(System.identityHashCode(this)));
    private final HealthThreads healthThreads = new HealthThreads(Integer.toHexString(System.identityHashCode(this)));

    /** A registry whose engines may open files anywhere. */
    public EngineRegistry() {
        this(null);
    }

    /**
     * @param allowedRoot the folder below which every database file must lie (symbolic links
     *        resolved), or null for no limit
     */
    public EngineRegistry(Path allowedRoot) {
        this.allowedRoot = allowedRoot == null ? null : allowedRoot.toAbsolutePath().normalize();
    }

    /** @return the one maintenance thread of these engines */
    public MaintenanceScheduler scheduler() {
        return scheduler;
    }

    /** @return the two threads that watch these engines' health */
    public HealthThreads healthThreads() {
        return healthThreads;
    }

    /** @return the folder databases must lie below, or null */
    public Path allowedRoot() {
        return allowedRoot;
    }

    /** @throws ConfigurationException when another engine runs under that name */
    synchronized void claimName(String name, Object owner) {
        Object holder = names.putIfAbsent(name, owner);
        if (holder != null && holder != owner) {
            throw new ConfigurationException(name, EngineProperties.NAME, name,
                    "a name no other running engine uses, but an engine named " + name + " is running");
        }
    }

    synchronized void releaseName(String name, Object owner) {
        names.remove(name, owner);
    }

    /**
     * @return the database type that runs an engine with these settings
     * @throws ConfigurationException naming {@code type} when its driver is missing (pgjdbc is optional)
     */
    public DatabaseType typeOf(EngineSettings settings) {
        return types.of(settings.name(), settings.type());
    }

    /** @return which engine holds which database file */
    public FileClaims files() {
        return files;
    }

    /** @return whether an engine runs under that name */
    public synchronized boolean isRunning(String name) {
        return names.containsKey(name);
    }
}
