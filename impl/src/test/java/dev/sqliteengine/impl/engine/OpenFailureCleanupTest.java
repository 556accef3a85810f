package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.SqlWork;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.sqlite.DatabaseLocation;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SqliteEngine.open} fails as a whole: a step that fails after the name and the file were
 * claimed and the pools opened leaves nothing claimed and nothing open, so the same name and file
 * can be opened again at once.
 * <p>
 * The late step made to fail is the last one, the first read unit (in production it asks SQLite
 * for its version). No configuration makes that read fail on demand, so the test passes one that
 * does.
 */
class OpenFailureCleanupTest {

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();

    private static final SqlWork<String> FAILING_READ = c -> {
        throw new SQLException("the first read fails", "HY000", 10); // SQLITE_IOERR
    };

    private static EngineSettings settings(String name, String path) {
        return EngineSettings.parse(Map.of("path", path), name, null);
    }

    @Test
    void anOpenThatFailsLateLeavesTheNameAndTheFileFree() {
        String path = dir.resolve("late.db").toString();
        assertThatThrownBy(() -> SqliteEngine.open(settings("late", path), registry, FAILING_READ))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.getMessage()).startsWith("[late] ")
                        .contains("the first read fails"));
        assertThat(registry.isRunning("late")).isFalse();
        // Another engine may open the file, and then the first name may come back on it.
        try (Engine other = SqliteEngine.open(settings("other", path), registry)) {
            assertThat(other.connections().<Integer>read(c -> 1)).isEqualTo(1);
        }
        try (Engine again = SqliteEngine.open(settings("late", path), registry)) {
            assertThat(again.connections().<Integer>read(c -> 1)).isEqualTo(1);
        }
    }

    @Test
    void anInMemoryOpenThatFailsLateClosesItsKeeperConnection() {
        int before = DatabaseLocation.openKeepers();
        assertThatThrownBy(() -> SqliteEngine.open(settings("mem", ":memory:"), registry, FAILING_READ))
                .isInstanceOf(EngineException.class);
        assertThat(DatabaseLocation.openKeepers()).as("in-memory databases kept alive").isEqualTo(before);
        assertThat(registry.isRunning("mem")).isFalse();
    }
}
