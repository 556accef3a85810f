package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, as SQLite sees it: the writer connection's {@code max_page_count} caps the file,
 * so a write that needs more pages fails with SQLITE_FULL exactly as on a full file system.
 */
class DiskFullTest {

    @TempDir
    Path dir;

    @Test
    void aFullDiskFailsTheUnitCleanlyKeepsWhatWasCommittedAndRecovers() {
        try (Engine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", dir.resolve("full.db").toString()),
                "full", null), new EngineRegistry())) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v BLOB)"));
            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (randomblob(100))"));
            // cap the file at its current size plus a little: the writer is the only connection that writes
            engine.connections().execute(c -> c.createStatement().execute("PRAGMA max_page_count = 8"));

            assertThatThrownBy(() -> engine.connections().execute(c -> {
                for (int i = 0; i < 100; i++) {
                    c.createStatement().execute("INSERT INTO t VALUES (randomblob(4000))");
                }
            })).isInstanceOfSatisfying(ConnectionException.class, e -> {
                assertThat(e.resultCode() & 0xff).isEqualTo(13); // SQLITE_FULL
                assertThat(e.getMessage()).startsWith("[full] ").contains("the disk is full");
            });
            assertThat(SqliteEngineTest.rows(engine)).isEqualTo(1);

            // space again: the same engine writes on
            engine.connections().execute(c -> c.createStatement().execute("PRAGMA max_page_count = 1000000"));
            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (randomblob(4000))"));
            assertThat(SqliteEngineTest.rows(engine)).isEqualTo(2);
            assertThat(engine.status().rollbacks()).isEqualTo(1);
        }
    }
}
