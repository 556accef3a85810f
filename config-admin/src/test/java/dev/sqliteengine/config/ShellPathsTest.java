package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellPathsTest {

    @TempDir
    Path dir;

    @Test
    void a_relative_path_resolves_against_the_data_folder_and_others_stay_as_typed() {
        ShellPaths paths = new ShellPaths(dir.toString(), null);

        assertThat(paths.databasePath("reports/r.db")).isEqualTo(dir.resolve("reports/r.db").toString());
        assertThat(paths.databasePath("../up.db")).isEqualTo(dir.getParent().resolve("up.db").toString());
        assertThat(paths.databasePath("/abs/x.db")).isEqualTo("/abs/x.db");
        assertThat(paths.databasePath(":memory:")).isEqualTo(":memory:");
        assertThat(paths.file("backups/b.db")).isEqualTo(dir.resolve("backups/b.db"));
    }

    @Test
    void without_a_data_folder_relative_paths_resolve_against_the_working_folder() {
        assertThat(new ShellPaths(null, null).databasePath("x.db"))
                .isEqualTo(Path.of("x.db").toAbsolutePath().normalize().toString());
        assertThat(new ShellPaths(" ", null).dataDir()).isEqualTo(Path.of("").toAbsolutePath());
    }

    @Test
    void without_an_allowed_root_any_file_may_be_written() {
        new ShellPaths(null, null).requireBelowRoot("e", Path.of("/anywhere/x.db"), "a backup");
    }

    @Test
    void a_file_below_the_root_passes_and_one_outside_is_refused() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        ShellPaths paths = new ShellPaths(null, root.toString());

        paths.requireBelowRoot("e", root.resolve("new/folder/x.db"), "a backup");
        assertThatThrownBy(() -> paths.requireBelowRoot("e", root.resolve("../x.db").normalize(), "a backup"))
                .isInstanceOf(EngineException.class)
                .hasMessage("[e] a backup must stay below the allowed root " + root
                        + " (framework property dev.sqliteengine.allowedRoot), but " + dir.resolve("x.db")
                        + " resolves to " + dir.toRealPath().resolve("x.db"));
    }

    @Test
    void links_inside_the_root_that_lead_outside_are_refused_dangling_ones_too() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("folder-link"), outside);
        Files.createSymbolicLink(root.resolve("dangling.db"), outside.resolve("not-yet.db"));
        Files.createSymbolicLink(root.resolve("dangling-folder"), outside.resolve("not-yet"));
        ShellPaths paths = new ShellPaths(null, root.toString());

        for (String inside : new String[] {"folder-link/x.db", "dangling.db", "dangling-folder/x.db"}) {
            assertThatThrownBy(() -> paths.requireBelowRoot("e", root.resolve(inside), "a backup"))
                    .as(inside).isInstanceOf(EngineException.class).hasMessageContaining(" resolves to " + outside.toRealPath());
        }
    }

    @Test
    void a_loop_of_dangling_links_ends() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("a"), root.resolve("b"));
        Files.createSymbolicLink(root.resolve("b"), root.resolve("a"));

        new ShellPaths(null, root.toString()).requireBelowRoot("e", root.resolve("a"), "a backup");
    }
}
