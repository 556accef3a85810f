package dev.sqliteengine.config;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/**
 * Where the files named in shell commands are. A person at a shell has no good idea of the JVM's
 * working folder, so a relative path typed there (an engine's {@code path}, a backup file)
 * resolves against the container's data folder: the framework property {@value #DATA_DIR}
 * (the distribution's launcher sets it to its {@code data/} folder; in Karaf set it in
 * {@code etc/config.properties} or {@code etc/system.properties}), or, when it is not set, the
 * working folder. Paths that configurations carry in from files (FileInstall, the Configurator)
 * are not touched: the engine resolves those as documented for {@code path}.
 * <p>
 * When the framework property {@value #ALLOWED_ROOT} is set (the same property that confines
 * every engine's database, read by the impl bundle), files the shell writes must stay below it,
 * with every symbolic link resolved.
 * <p>
 * Framework properties fall back to system properties, and are read for each command.
 */
final class ShellPaths {

    /** The framework property naming the folder relative paths typed in the shell resolve against. */
    static final String DATA_DIR = "dev.sqliteengine.dataDir";

    /** The framework property that confines database files (the impl's {@code EngineRegistry.ALLOWED_ROOT}). */
    static final String ALLOWED_ROOT = "dev.sqliteengine.allowedRoot";

    /** As the kernel's limit on links followed in one lookup: a loop of dangling links ends. */
    private static final int MAX_LINKS = 40;

    private final Path dataDir;
    private final Path allowedRoot;

    /**
     * @param dataDir the folder relative paths resolve against, or null for the working folder
     * @param allowedRoot the folder written files must stay below, or null for no limit
     */
    ShellPaths(String dataDir, String allowedRoot) {
        this.dataDir = Path.of(blank(dataDir) ? "" : dataDir.trim()).toAbsolutePath().normalize();
        this.allowedRoot = blank(allowedRoot) ? null : Path.of(allowedRoot.trim()).toAbsolutePath().normalize();
    }

    static ShellPaths of(BundleContext context) {
        return new ShellPaths(context.getProperty(DATA_DIR), context.getProperty(ALLOWED_ROOT));
    }

    /** @return the folder relative paths typed in the shell resolve against */
    Path dataDir() {
        return dataDir;
    }

    /**
     * @param typed an engine's {@code path} as typed in the shell
     * @return the same path, against the data folder when it was relative; {@code :memory:} and
     *         text that is no path at all (validation will say why) unchanged
     */
    String databasePath(String typed) {
        if (typed == null || EngineProperties.MEMORY_PATH.equals(typed)) {
            return typed;
        }
        try {
            Path path = Path.of(typed);
            return path.isAbsolute() ? typed : dataDir.resolve(path).normalize().toString();
        } catch (InvalidPathException e) {
            return typed;
        }
    }

    /** @return the file, against the data folder when it was relative, normalized */
    Path file(String typed) {
        return dataDir.resolve(Path.of(typed)).normalize();
    }

    /**
     * Refuses a file that is, or would be once created, outside the allowed root, with every
     * symbolic link of its existing part resolved (folder links on the way, and a link at the
     * file itself, dangling or not).
     *
     * @param engine the engine's name, for the message
     * @param what what the file is for, as the message names it, for example {@code "a backup"}
     * @throws EngineException naming the root, the property and where the file resolves to
     */
    void requireBelowRoot(String engine, Path file, String what) {
        if (allowedRoot == null) {
            return;
        }
        Path root = realExisting(allowedRoot, 0);
        Path resolved = realExisting(file, 0);
        if (!resolved.startsWith(root)) {
            throw new EngineException(engine, what + " must stay below the allowed root " + allowedRoot
                    + " (framework property " + ALLOWED_ROOT + "), but " + file + " resolves to " + resolved);
        }
    }

    /**
     * The path with every symbolic link in its existing part resolved, and a dangling link at the
     * end of that part followed to where it points (where a file would be created).
     */
    private static Path realExisting(Path path, int links) {
        Path existing = path.toAbsolutePath().normalize();
        Path rest = existing.getFileSystem().getPath("");
        while (existing != null && !Files.exists(existing)) {
            if (Files.isSymbolicLink(existing) && links < MAX_LINKS) {
                try {
                    Path target = existing.resolveSibling(Files.readSymbolicLink(existing));
                    return realExisting(target, links + 1).resolve(rest).normalize();
                } catch (IOException e) {
                    // unreadable link: what is known so far is reported
                }
            }
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        try {
            return existing == null ? path : existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
