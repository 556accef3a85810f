package dev.sqliteengine.postgres.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the servers' folders go, and the clear refusals when that place does not work. */
class BaseFolderTest {

    private final ServerAccount account = ServerAccount.forThisProcess();

    @Test
    void theBaseFolderBelongsToTheAccountAndOnlyToIt(@TempDir Path tmp) throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // JUnit makes it 0700
        BaseFolder base = BaseFolder.prepare(account, tmp);

        assertThat(base.path()).isEqualTo(tmp.resolve("sqliteengine-postgres-" + account.name()));
        assertThat(Files.getOwner(base.path()).getName()).isEqualTo(account.name());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(base.path()))).isEqualTo("rwx------");
        assertThat(BaseFolder.prepare(account, tmp).path()).as("made once, then reused").isEqualTo(base.path());
    }

    @Test
    void aPlaceThatCannotBeUsedIsRefusedNamingTheSettingToChange(@TempDir Path tmp) throws IOException {
        // Root: the account cannot pass a folder only root may enter. Anyone else: cannot write in it.
        Path closed = Files.createDirectory(tmp.resolve("closed"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(ServerAccount.runsAsRoot() ? "rwx------" : "r-x------")));

        assertThatThrownBy(() -> BaseFolder.prepare(account, closed.resolve("inside")))
                .isInstanceOf(PostgresServerException.class)
                .hasMessageContaining(closed.toString())
                .hasMessageContaining("-Dsqliteengine.postgres.tmpdir");
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void aPlaceWhoseSocketPathWouldBeTooLongIsRefused(@TempDir Path tmp) throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path deep = Files.createDirectories(tmp.resolve("a-folder-name-long-enough".repeat(4)));
        BaseFolder base = BaseFolder.prepare(account, deep);

        assertThatThrownBy(() -> base.newServerFolder("primary"))
                .isInstanceOf(PostgresServerException.class)
                .hasMessageContaining("more than the 107 a Unix socket allows")
                .hasMessageContaining("-Dsqliteengine.postgres.tmpdir");
        assertThat(base.path()).isEmptyDirectory();
    }
}
