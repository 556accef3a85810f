package dev.sqliteengine.postgres.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinariesTest {

    @Test
    void aFolderWithoutThePostgresProgramsIsRefusedWithHowToInstallThem(@TempDir Path empty) {
        assertThatThrownBy(() -> PostgresPrimary.builder().binaries(empty).launch())
                .isInstanceOf(PostgresServerException.class)
                .hasMessageContaining("The folder " + empty)
                .hasMessageContaining("initdb, postgres, pg_basebackup")
                .hasMessageContaining("apt-get install postgresql")
                .hasMessageContaining(".ci/run")
                .hasMessageContaining("-Dsqliteengine.postgres.bin");
    }

    @Test
    void theNewestDebianVersionFolderWithAllProgramsWins(@TempDir Path versions) throws IOException {
        programs(versions.resolve("9.6/bin"), "initdb", "postgres", "pg_basebackup");
        programs(versions.resolve("13/bin"), "initdb", "postgres", "pg_basebackup");
        programs(versions.resolve("15/bin"), "initdb", "postgres", "pg_basebackup");
        programs(versions.resolve("16/bin"), "initdb", "postgres"); // a client-only or broken install
        Files.createDirectories(versions.resolve("common/bin"));

        assertThat(Binaries.newestUnder(versions)).hasValue(versions.resolve("15/bin"));
        assertThat(Binaries.newestUnder(versions.resolve("missing"))).isEmpty();
    }

    @Test
    void theMachinesProgramsAreFound() {
        assertThat(Binaries.locate().program("initdb")).isExecutable();
    }

    private static void programs(Path folder, String... names) throws IOException {
        Files.createDirectories(folder);
        for (String name : names) {
            Files.createFile(folder.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
    }
}
