package dev.sqliteengine.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code HOME/secrets}: where passwords live, one file each, so that configurations hold only a
 * placeholder. Config Admin's interpolation plugin (Apache Felix's, as in Karaf) replaces
 * {@code $[secret:NAME]} in a configuration with the content of {@code HOME/secrets/NAME}, and
 * {@code $[env:VARIABLE]} with an environment variable of the container's JVM, when it hands the
 * configuration to the engine; what Config Admin stores ({@code HOME/config-admin}) and what
 * FileInstall writes back into {@code HOME/conf} keep the placeholder. The folder is made
 * readable by its owner only, and the launcher says so when it finds it open to others.
 */
final class SecretsFolder {

    static final String NAME = "secrets";
    static final String PLUGIN = "org.apache.felix.configadmin.plugin.interpolation";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretsFolder() {}

    /**
     * Makes {@code HOME/secrets}, owner only, when it is missing.
     *
     * @return a warning when the folder exists and others may use it, else empty
     */
    static Optional<String> ensure(Path home) throws IOException {
        Path folder = home.resolve(NAME);
        if (!Files.exists(folder)) {
            Files.createDirectories(home);
            if (isPosix(home)) {
                // owner only from the start: no moment in which another user could open it
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(folder);
            }
            return Optional.empty();
        }
        if (isPosix(folder) && !java.util.Collections.disjoint(Files.getPosixFilePermissions(folder), OTHERS)) {
            return Optional.of(folder + " can be read by other users than its owner; its files are passwords"
                    + " (chmod 700 " + folder + ")");
        }
        return Optional.empty();
    }

    /**
     * The framework properties of the interpolation plugin: its secrets folder, and Config Admin's
     * wait for it, so that no configuration reaches an engine with its placeholders unreplaced.
     */
    static void configure(Path home, Map<String, String> properties) {
        properties.put("felix.cm.config.plugins", PLUGIN);
        properties.put(PLUGIN + ".secretsdir", home.resolve(NAME).toString());
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
