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
 * <p>
 * A file claim is counted: an engine claims its file once for each location it opens on it
 * (while it switches between two paths, or away from a file and back, old and new pools may be
 * on one file at once) and releases it once for each location it closes, so the file stays
 * claimed until the last of them is closed. Files are keyed by their real path
 * ({@link DatabasePath#file()}), so two spellings of one file are one claim. A release without
 * a claim is a bug, caught by an assertion.
 */
public final class EngineRegistry {

    /**
     * The framework property (in OSGi) or system property (outside) that confines every engine's
     * database to one folder tree.
     */
    public static final String ALLOWED_ROOT = "dev.sqliteengine.allowedRoot";

    private final Path allowedRoot;
    private final Map<String, Object> names = new HashMap<>();
    private final Map<Path, FileClaim> files = new HashMap<>();
    private final MaintenanceScheduler scheduler = new MaintenanceScheduler(Integer.toHexString(System.identityHashCode(this)));
    private final HealthThreads healthThreads = new HealthThreads(Integer.toHexString(System.identityHashCode(this)));

    /** Who holds a file, and how many of its locations are open on it. */
    private static final class FileClaim {
        final String name;
        int count;

        FileClaim(String name) {
            this.name = name;
        }
    }

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
     * Claims a file once more for an engine; each claim is released by one {@link #releaseFile}.
     *
     * @param file the real database file ({@link DatabasePath#file()}), or null for an in-memory
     *        database (no claim)
     * @throws ConfigurationException when another engine has the file open; nothing is claimed then
     */
    synchronized void claimFile(Path file, String name) {
        if (file == null) {
            return;
        }
        requireFileFree(file, name);
        files.computeIfAbsent(file, f -> new FileClaim(name)).count++;
    }

    /**
     * Checks, without claiming, that no engine but the one named has the file open.
     *
     * @throws ConfigurationException when another engine has it open
     */
    synchronized void requireFileFree(Path file, String name) {
        FileClaim claim = file == null ? null : files.get(file);
        if (claim != null && !claim.name.equals(name)) {
            throw new ConfigurationException(name, EngineProperties.PATH, file.toString(),
                    "a file no other engine has open, but engine " + claim.name + " has it open");
        }
    }

    /** Releases one claim of {@link #claimFile}; the file is free once every claim is released. */
    synchronized void releaseFile(Path file, String name) {
        if (file == null) {
            return;
        }
        FileClaim claim = files.get(file);
        assert claim != null && claim.name.equals(name) && claim.count > 0
                : "[" + name + "] released a claim on " + file + " that it does not hold";
        if (claim != null && claim.name.equals(name) && --claim.count == 0) {
            files.remove(file);
        }
    }

    /** @return whether an engine runs under that name */
    public synchronized boolean isRunning(String name) {
        return names.containsKey(name);
    }
}
