package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code HOME/secrets}: made for its owner only, and a warning when others may read it. */
class SecretsFolderTest {

    @TempDir
    Path home;

    @Test
    void theFolderIsMadeForItsOwnerOnly() throws Exception {
        assertThat(SecretsFolder.ensure(home)).isEmpty();

        assertThat(Files.getPosixFilePermissions(home.resolve("secrets"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aFolderOthersMayReadIsLeftAsItIsWithAWarning() throws Exception {
        Path folder = Files.createDirectory(home.resolve("secrets"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-x---"));

        assertThat(SecretsFolder.ensure(home)).hasValue(folder + " can be read by other users than its owner; its files are"
                + " passwords (chmod 700 " + folder + ")");
        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    }

    @Test
    void configAdminWaitsForThePluginWhichReadsTheFolder() {
        Map<String, String> properties = new HashMap<>();
        SecretsFolder.configure(home, properties);

        assertThat(properties).containsEntry("felix.cm.config.plugins", "org.apache.felix.configadmin.plugin.interpolation")
                .containsEntry("org.apache.felix.configadmin.plugin.interpolation.secretsdir", home.resolve("secrets").toString());
    }
}
