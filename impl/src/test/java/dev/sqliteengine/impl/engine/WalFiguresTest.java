package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL's figures in {@code EngineStatus}: SQLite's write-ahead log grows with writes, and a
 * checkpoint through the management interface is recorded (a PostgreSQL server's log is its own).
 */
class WalFiguresTest {

    @TempDir
    Path dir;

    private SqliteEngine engine;

    @AfterEach
    void close() {
        engine.close();
    }

    private SqliteEngine open(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        map.put("path", dir.resolve("figures.db").toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        engine = SqliteEngine.open(EngineSettings.parse(map, "figures", null), new EngineRegistry());
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v)"));
        return engine;
    }

    @Test
    void theWalGrowsWithWritesAndACheckpointIsRecorded() {
        SqliteEngine engine = open("pragma.wal_autocheckpoint", 0);
        assertThat(engine.status().wal().lastCheckpoint()).isEmpty();
        for (int i = 0; i < 20; i++) {
            engine.connections().write(c -> c.createStatement().execute("INSERT INTO t(v) VALUES (randomblob(2000))"));
        }
        EngineStatus s = engine.status();
        assertThat(s.wal().sizeBytes()).isPositive();
        assertThat(s.wal().pages()).isGreaterThanOrEqualTo(20);

        CheckpointFigures passive = engine.management().checkpoint("passive");
        assertThat(passive.completed()).isTrue();
        assertThat(passive.mode()).isEqualTo("PASSIVE");
        assertThat(passive.walPages()).isEqualTo(s.wal().pages());
        assertThat(passive.checkpointedPages()).isEqualTo(s.wal().pages());
        assertThat(engine.status().wal().lastCheckpoint()).contains(passive);
        assertThat(engine.status().wal().sizeBytes()).as("a passive checkpoint leaves the file").isEqualTo(s.wal().sizeBytes());

        CheckpointFigures truncate = engine.management().checkpoint("TRUNCATE");
        assertThat(truncate.completed()).isTrue();
        s = engine.status();
        assertThat(s.wal().lastCheckpoint()).contains(truncate);
        assertThat(s.wal().sizeBytes()).as("truncated").isZero();
        assertThat(s.wal().pages()).isZero();
        assertThatThrownBy(() -> engine.management().checkpoint("HARD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("[figures] checkpoint mode HARD is invalid: one of PASSIVE, FULL, RESTART, TRUNCATE");
    }
}
