package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An allowed root holds whatever symbolic links lie inside it: links to files that do not exist
 * yet, links to folders that do not exist yet, chains of links, and links planted where SQLite
 * will put the {@code -wal}, {@code -shm} or {@code -journal} file. Nothing is created outside,
 * and {@code EngineFactory.validate} refuses the same paths as opening does.
 */
class LinksNeverLeadOutOfTheAllowedRootTest {

    @TempDir
    Path dir;

    private Path root;
    private Path outside;
    private EngineRegistry registry;

    @BeforeEach
    void rootAndOutside() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        outside = Files.createDirectories(dir.resolve("outside"));
        registry = new EngineRegistry(root);
    }

    private static EngineSettings settings(Path path) {
        return EngineSettings.parse(Map.of("path", path.toString()), "linked", null);
    }

    private void assertRefused(Path path) {
        assertThatThrownBy(() -> SqliteEngine.open(settings(path), registry))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo("path");
                    assertThat(e.getMessage()).startsWith("[linked] path=").contains("allowed root")
                            .contains("dev.sqliteengine.allowedRoot");
                });
        assertThatThrownBy(() -> new SqliteEngineFactory(registry).validate(Map.of("name", "linked", "path", path.toString())))
                .as("validate refuses it before anything is stored").isInstanceOf(ConfigurationException.class);
        assertThat(registry.isRunning("linked")).isFalse();
        try (var created = Files.list(outside)) {
            assertThat(created).as("nothing created outside the root").isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLinkToAFileThatDoesNotExistYetIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("dangling.db"), outside.resolve("new.db"));

        assertRefused(link);
    }

    @Test
    void aLinkToAFolderThatDoesNotExistYetIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("data"), outside.resolve("new-folder"));

        assertRefused(root.resolve("data/x.db"));
        assertRefused(root.resolve("data/deeper/x.db"));
    }

    @Test
    void aChainOfLinksIsFollowedToItsEnd() throws Exception {
        Files.createSymbolicLink(root.resolve("last.db"), outside.resolve("chained.db"));
        Files.createSymbolicLink(root.resolve("middle.db"), Path.of("last.db")); // relative, inside the root
        Path first = Files.createSymbolicLink(root.resolve("first.db"), root.resolve("middle.db"));

        assertRefused(first);
    }

    @Test
    void aRelativeLinkClimbingOutWithDotDotIsRefused() throws Exception {
        Files.createDirectories(root.resolve("sub"));
        Path link = Files.createSymbolicLink(root.resolve("sub/up.db"), Path.of("../../outside/climbed.db"));

        assertRefused(link);
    }

    @Test
    void aLoopOfLinksIsRefusedNamingThePath() throws Exception {
        Files.createSymbolicLink(root.resolve("ping.db"), root.resolve("pong.db"));
        Files.createSymbolicLink(root.resolve("pong.db"), root.resolve("ping.db"));

        assertThatThrownBy(() -> SqliteEngine.open(settings(root.resolve("ping.db")), registry))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo("path");
                    assertThat(e.getMessage()).contains("symbolic links");
                });
    }

    @Test
    void linksPlantedWhereSqlitePutsItsWalShmAndJournalFilesAreRefused() throws Exception {
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
            Path file = root.resolve("planted" + suffix.substring(1) + ".db");
            Files.createSymbolicLink(Path.of(file + suffix), outside.resolve("stolen" + suffix));

            assertRefused(file);
            assertThat(file).as("the database itself was not created either").doesNotExist();
        }
    }

    @Test
    void aLinkThatStaysInsideTheRootOpensTheFileItLeadsTo() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("alias.db"), root.resolve("real/target.db"));

        try (Engine engine = SqliteEngine.open(settings(link), registry)) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
            assertThat(engine.status().path()).isEqualTo(root.toRealPath().resolve("real/target.db").toString());
        }
        assertThat(root.resolve("real/target.db")).exists();
        assertThat(link).isSymbolicLink();
        assertThat(Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
