package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineProperties;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The checks of a configured database path that need no side effect: run by
 * {@code EngineFactory.validate} (so the configuration manager refuses a bad path before it stores
 * anything) and again by {@link DatabaseLocation#open} before it creates folders and the file.
 * What only creating the file can reveal is left to {@link DatabaseLocation#open}.
 */
final class DatabasePath {

    /** Pseudo file systems where no database belongs, though root may seem to write there. */
    private static final Set<String> PSEUDO_FILE_SYSTEMS = Set.of("proc", "sysfs", "devtmpfs", "devpts",
            "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "configfs", "pstore", "bpf");

    private DatabasePath() {}

    /**
     * @return the absolute, normalized file of a file-backed engine
     * @throws ConfigurationException naming {@code path} when the path cannot be a database file
     */
    static Path check(EngineSettings settings, Path allowedRoot) {
        Path file = Path.of(settings.path()).toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw invalid(settings, "a database file, but " + file + " is a folder");
        }
        requireBelow(settings, file, allowedRoot);
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
        return file;
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

    /**
     * The name under which the registry claims a file: symbolic links of the folder (and of the
     * file itself) resolved, so two spellings of one file are one claim, and a link cannot lead
     * out of the allowed root. A folder that does not exist yet is left as it is.
     */
    static Path canonical(Path file) {
        try {
            Path real = file.getParent().toRealPath().resolve(file.getFileName());
            return Files.isSymbolicLink(real) ? real.toRealPath() : real;
        } catch (IOException e) {
            return file;
        }
    }

    /** Refuses a path outside the allowed root, with every symbolic link of its existing part resolved. */
    static void requireBelow(EngineSettings settings, Path file, Path allowedRoot) {
        if (allowedRoot == null) {
            return;
        }
        Path root = realExisting(allowedRoot);
        Path resolved = realExisting(file);
        if (!resolved.startsWith(root)) {
            throw invalid(settings, "a file below the allowed root " + allowedRoot + " (framework property "
                    + EngineRegistry.ALLOWED_ROOT + "), but it resolves to " + resolved);
        }
    }

    /**
     * The path with every symbolic link in its existing part resolved: checked before anything is
     * created, so a link inside the root cannot make us create a file outside it.
     */
    private static Path realExisting(Path path) {
        Path existing = path;
        Path rest = path.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        try {
            return existing == null ? path : existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    static ConfigurationException invalid(EngineSettings settings, String allowed) {
        return new ConfigurationException(settings.name(), EngineProperties.PATH,
                PropertyReader.shown(settings.path()), allowed);
    }
}
