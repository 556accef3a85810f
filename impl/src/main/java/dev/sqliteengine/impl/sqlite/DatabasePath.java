package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.PropertyReader;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.function.Function;

/**
 * A configured database path resolved, once, to the real file it leads to, and checked without
 * any side effect. {@code EngineFactory.validate} resolves a path this way (so the configuration
 * manager refuses a bad path before it stores anything), and so does every opening, through
 * {@link DatabaseLocation}, which then uses {@link #file()} for the file claim, for comparing an
 * old and a new path, and for the JDBC URL. What only creating the file can reveal is left to
 * {@link DatabaseLocation}.
 * <p>
 * Invariant: {@link #file()} is absolute and contains no symbolic link, no {@code .} and no
 * {@code ..}. Every link on the way is followed, whether or not its target exists (a link to a
 * file or folder that does not exist yet is where a new database would be created), so two
 * spellings of one file give equal paths, and a file below the allowed root really is below it.
 */
final class DatabasePath {

    /** Pseudo file systems where no database belongs, though root may seem to write there. */
    private static final Set<String> PSEUDO_FILE_SYSTEMS = Set.of("proc", "sysfs", "devtmpfs", "devpts",
            "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "configfs", "pstore", "bpf");

    /** The files SQLite opens next to a database, by name; a link planted there is followed too. */
    private static final String[] SIDE_FILES = {"-wal", "-shm", "-journal"};

    /** As Linux's {@code MAXSYMLINKS}: more links on one path is a loop. */
    private static final int MAX_LINKS = 40;

    private final Path file;

    private DatabasePath(Path file) {
        this.file = file;
    }

    /** @return the real database file: absolute, without links, {@code .} or {@code ..} */
    public Path file() {
        return file;
    }

    /**
     * Resolves and checks the path of a file-backed engine.
     *
     * @param allowedRoot the folder the file and its side files must resolve below, or null
     * @throws ConfigurationException naming {@code path} when the path cannot be a database file
     */
    public static DatabasePath resolve(EngineSettings settings, Path allowedRoot) {
        if (settings.inMemory()) {
            throw new IllegalArgumentException("[" + settings.name() + "] an in-memory database has no path to resolve");
        }
        return resolve(settings, Path.of(settings.path()), allowedRoot);
    }

    /**
     * Checks again that the file is what {@link #resolve} found, and still allowed: no link was
     * planted on the way, or beside it, since (between resolving and creating the file, or
     * before a reopen).
     *
     * @throws ConfigurationException naming {@code path} when it is not
     */
    DatabasePath recheck(EngineSettings settings, Path allowedRoot) {
        DatabasePath now = resolve(settings, file, allowedRoot);
        if (!now.equals(this)) {
            throw invalid(settings, "a path that keeps leading to " + file + ", but it leads to " + now.file
                    + " now (a symbolic link appeared on the way)");
        }
        return now;
    }

    private static DatabasePath resolve(EngineSettings settings, Path path, Path allowedRoot) {
        Path file = real(settings, path);
        requireBelow(settings, allowedRoot, file, "it resolves to " + file);
        for (String suffix : SIDE_FILES) {
            Path side = file.resolveSibling(file.getFileName() + suffix);
            Path resolved = real(settings, side);
            if (!resolved.equals(side)) {
                requireBelow(settings, allowedRoot, resolved, "SQLite's " + side.getFileName()
                        + " next to it is a symbolic link that resolves to " + resolved);
            }
        }
        if (Files.isDirectory(file)) {
            throw invalid(settings, "a database file, but " + file + " is a folder");
        }
        Path existing = file.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw invalid(settings, "a file in a folder, but " + existing + " is a file, not a folder");
        }
        if (existing != null) {
            requireRealFileSystem(settings, existing);
        }
        if (settings.readOnly() && !Files.isReadable(file)) {
            throw invalid(settings, "an existing, readable database file for a read-only engine, but " + file
                    + (Files.exists(file) ? " cannot be read" : " does not exist"));
        }
        if (!settings.readOnly() && Files.exists(file) && !Files.isWritable(file)) {
            throw invalid(settings, "a writable database file, but " + file
                    + " is read-only (set readOnly=true to open it read-only)");
        }
        return new DatabasePath(file);
    }

    /**
     * The path with every symbolic link followed, also those whose target does not exist, and
     * with {@code .} and {@code ..} taken as the file system would after following the links
     * before them. Components that do not exist are kept as they are.
     */
    private static Path real(EngineSettings settings, Path path) {
        return real(path, why -> invalid(settings, why));
    }

    /**
     * Where a file other than the database (a backup, a file to restore) really is, checked against
     * the allowed root with the same rules as the database file.
     *
     * @param what what the file is, as the message names it, for example {@code "a backup"}
     * @return the path with every symbolic link followed
     * @throws EngineException naming the root and where the file resolves to
     */
    public static Path realBelowRoot(String engine, Path path, Path allowedRoot, String what) {
        Path resolved = real(path, why -> new EngineException(engine, what + " must be " + why));
        if (allowedRoot != null && !resolved.startsWith(real(allowedRoot, why -> new EngineException(engine,
                "the allowed root must be " + why)))) {
            throw new EngineException(engine, what + " must stay below the allowed root " + allowedRoot
                    + " (framework property " + DatabasePlace.ALLOWED_ROOT + "), but " + path + " resolves to " + resolved);
        }
        return resolved;
    }

    private static Path real(Path path, Function<String, RuntimeException> invalid) {
        Path absolute = path.toAbsolutePath();
        Deque<Path> pending = new ArrayDeque<>();
        absolute.forEach(pending::addLast);
        Path result = absolute.getRoot();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst().toString();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                result = result.getParent() == null ? result : result.getParent();
                continue;
            }
            Path next = result.resolve(name);
            if (!Files.isSymbolicLink(next)) {
                result = next;
                continue;
            }
            if (++links > MAX_LINKS) {
                throw invalid.apply("a path that resolves to a file, but following it runs through more than "
                        + MAX_LINKS + " symbolic links (a loop?) at " + next);
            }
            Path target;
            try {
                target = Files.readSymbolicLink(next);
            } catch (IOException e) {
                throw invalid.apply("a path whose symbolic links can be read, but reading " + next + " failed: " + e);
            }
            if (target.isAbsolute()) {
                result = target.getRoot();
            }
            for (int i = target.getNameCount() - 1; i >= 0; i--) {
                pending.addFirst(target.getName(i));
            }
        }
        return result;
    }

    private static void requireBelow(EngineSettings settings, Path allowedRoot, Path resolved, String but) {
        if (allowedRoot == null) {
            return;
        }
        Path root = real(settings, allowedRoot);
        if (!resolved.startsWith(root)) {
            throw invalid(settings, "a file below the allowed root " + allowedRoot + " (framework property "
                    + DatabasePlace.ALLOWED_ROOT + "), but " + but);
        }
    }

    private static void requireRealFileSystem(EngineSettings settings, Path existing) {
        try {
            FileStore store = Files.getFileStore(existing);
            if (PSEUDO_FILE_SYSTEMS.contains(store.type())) {
                throw invalid(settings, "a file on a disk, but " + existing + " is on the " + store.type()
                        + " pseudo file system");
            }
            if (store.isReadOnly() && !settings.readOnly()) {
                throw invalid(settings, "a file on a writable file system, but " + existing
                        + " is on a read-only one (set readOnly=true to open an existing file read-only)");
            }
        } catch (IOException e) {
            // unknown file store: opening the file will tell
        }
    }

    static ConfigurationException invalid(EngineSettings settings, String allowed) {
        return new ConfigurationException(settings.name(), EngineProperties.PATH,
                PropertyReader.shown(settings.path()), allowed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabasePath other && file.equals(other.file);
    }

    @Override
    public int hashCode() {
        return file.hashCode();
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
