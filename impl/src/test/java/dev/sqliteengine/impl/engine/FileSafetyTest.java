package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an engine may put its file, and what it says about a file it cannot use. */
class FileSafetyTest {

    @TempDir
    Path dir;

    private EngineSettings settings(String path) {
        return EngineSettings.parse(Map.of("path", path), "safe", null);
    }

    @Test
    void anAllowedRootKeepsEnginesBelowIt() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        EngineRegistry registry = new EngineRegistry(root);
        try (Engine inside = SqliteEngine.open(settings(root.resolve("a/b/inside.db").toString()), registry)) {
            assertThat(inside.status().path()).startsWith(root.toRealPath().toString());
        }
        assertThatThrownBy(() -> SqliteEngine.open(settings(root.resolve("../escape.db").toString()), registry))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo("path");
                    assertThat(e.getMessage()).contains("allowed root").contains("dev.sqliteengine.allowedRoot");
                });
        assertThat(dir.resolve("escape.db")).doesNotExist();

        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        assertThatThrownBy(() -> SqliteEngine.open(settings(root.resolve("link/sneaky.db").toString()), registry))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("resolves to");
        assertThat(outside.resolve("sneaky.db")).doesNotExist();
        assertThat(registry.isRunning("safe")).isFalse();
    }

    @Test
    void aFileThatIsNotADatabaseIsReportedAndNothingStaysOpen() throws Exception {
        Path garbage = dir.resolve("garbage.db");
        Files.write(garbage, "this is not a database, just text that is long enough to have a header".repeat(100).getBytes());
        EngineRegistry registry = new EngineRegistry();
        assertThatThrownBy(() -> SqliteEngine.open(settings(garbage.toString()), registry))
                .isInstanceOfSatisfying(ConnectionException.class, e -> {
                    assertThat(e.getMessage()).startsWith("[safe] ").contains("not a database");
                    assertThat(e.resultCode() & 0xff).isEqualTo(26); // SQLITE_NOTADB
                });
        assertThat(registry.isRunning("safe")).isFalse();
        // the name and file are free again
        Files.delete(garbage);
        try (Engine engine = SqliteEngine.open(settings(garbage.toString()), registry)) {
            assertThat(engine.connections().<Integer>read(c -> 1)).isEqualTo(1);
        }
    }
}
