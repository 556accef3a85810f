package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineProperties;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The engines running in one place (one impl bundle, or one {@code EngineFactory} outside
 * OSGi): each name is used by one engine, and each database file is opened by one engine, since
 * two engines on one file would be two writers fighting over SQLite's single write lock.
 * All methods are synchronized; claims are rare and short.
 */
public final class EngineRegistry {

    /**
     * The framework property (in OSGi) or system property (outside) that confines every engine's
     * database to one folder tree.
     */
    public static final String ALLOWED_ROOT = "dev.sqliteengine.allowedRoot";

    private final Path allowedRoot;
    private final Map<String, Object> names = new HashMap<>();
    private final Map<Path, String> files = new HashMap<>();

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

    /** @return the folder databases must lie below, or null */
    Path allowedRoot() {
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
     * @param file the database file, or null for an in-memory database (no claim)
     * @throws ConfigurationException when another engine has the file open
     */
    synchronized void claimFile(Path file, String name) {
        if (file == null) {
            return;
        }
        String holder = files.putIfAbsent(file, name);
        if (holder != null && !holder.equals(name)) {
            throw new ConfigurationException(name, EngineProperties.PATH, file.toString(),
                    "a file no other engine has open, but engine " + holder + " has it open");
        }
    }

    /**
     * Checks, without claiming, that no engine but the one named has the file open.
     *
     * @throws ConfigurationException when another engine has it open
     */
    synchronized void requireFileFree(Path file, String name) {
        String holder = file == null ? null : files.get(file);
        if (holder != null && !holder.equals(name)) {
            throw new ConfigurationException(name, EngineProperties.PATH, file.toString(),
                    "a file no other engine has open, but engine " + holder + " has it open");
        }
    }

    synchronized void releaseFile(Path file, String name) {
        if (file != null) {
            files.remove(file, name);
        }
    }

    /** @return whether an engine runs under that name */
    public synchronized boolean isRunning(String name) {
        return names.containsKey(name);
    }
}
