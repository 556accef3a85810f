package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock held outside the engine (another process, a backup tool) is waited for, then reported. */
class ForeignLockTest {

    @TempDir
    Path dir;

    @Test
    void aWriteLockHeldElsewhereSurfacesAsAConnectionExceptionNamingTheEngine() throws Exception {
        Path file = dir.resolve("locked.db");
        try (Engine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", file.toString(),
                "pragma.busy_timeout", 200, "write.retries", 2, "write.retryBackoff", 10), "locked", null),
                new EngineRegistry())) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                other.createStatement().execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)")))
                        .isInstanceOfSatisfying(ConnectionException.class, e -> {
                            assertThat(e.engineName()).isEqualTo("locked");
                            assertThat(e.resultCode() & 0xff).isEqualTo(5); // SQLITE_BUSY
                            assertThat(e.getMessage()).startsWith("[locked] ").contains("busy_timeout");
                        });
                // readers are not blocked by a writer in WAL mode
                assertThat(engine.connections().<Integer>read(c -> {
                    try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                        r.next();
                        return r.getInt(1);
                    }
                })).isZero();
                other.createStatement().execute("COMMIT");
            }
            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
            assertThat(engine.status().errors()).isEqualTo(3); // the first run and its two retries
        }
    }
}
