package dev.sqliteengine.impl.pool;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineProperties;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Which engine has which database file open, among the engines of one registry: two engines on
 * one file would be two writers fighting over SQLite's single write lock. All methods are
 * synchronized; claims are rare and short.
 * <p>
 * A claim is counted: an engine claims its file once for each place it opens on it (while it
 * switches between two paths, or away from a file and back, old and new pools may be on one file
 * at once) and releases it once for each place it closes, so the file stays claimed until the last
 * of them is closed. Files are keyed by their real path ({@code DatabasePlace.claim()}), so two
 * spellings of one file are one claim. A release without a claim is a bug, caught by an assertion.
 */
public final class FileClaims {

    private final Map<Path, Claim> files = new HashMap<>();

    /** Who holds a file, and how many of its places are open on it. */
    private static final class Claim {
        final String name;
        int count;

        Claim(String name) {
            this.name = name;
        }
    }

    /**
     * Claims a file once more for an engine; each claim is released by one {@link #release}.
     *
     * @param file the real database file, or null when the database has none (no claim)
     * @throws ConfigurationException when another engine has the file open; nothing is claimed then
     */
    public synchronized void claim(Path file, String name) {
        if (file == null) {
            return;
        }
        requireFree(file, name);
        files.computeIfAbsent(file, f -> new Claim(name)).count++;
    }

    /**
     * Checks, without claiming, that no engine but the one named has the file open.
     *
     * @throws ConfigurationException when another engine has it open
     */
    public synchronized void requireFree(Path file, String name) {
        Claim claim = file == null ? null : files.get(file);
        if (claim != null && !claim.name.equals(name)) {
            throw new ConfigurationException(name, EngineProperties.PATH, file.toString(),
                    "a file no other engine has open, but engine " + claim.name + " has it open");
        }
    }

    /** Releases one claim of {@link #claim}; the file is free once every claim is released. */
    public synchronized void release(Path file, String name) {
        if (file == null) {
            return;
        }
        Claim claim = files.get(file);
        assert claim != null && claim.name.equals(name) && claim.count > 0
                : "[" + name + "] released a claim on " + file + " that it does not hold";
        if (claim != null && claim.name.equals(name) && --claim.count == 0) {
            files.remove(file);
        }
    }
}
