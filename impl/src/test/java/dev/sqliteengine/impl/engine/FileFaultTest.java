package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database file deleted or replaced under a running engine: SQLite would go on writing into
 * the old inode, where nobody can ever read it. The engine refuses that, and reopens by itself
 * once a file is at the path again.
 */
class FileFaultTest {

    @TempDir
    Path dir;

    private static void insert(Engine engine) {
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
    }

    private Engine open(Path file) {
        return SqliteEngine.open(EngineSettings.parse(Map.of("path", file.toString()), "fault", null), new EngineRegistry());
    }

    @Test
    void aDeletedFileStopsWritesUntilAFileIsBackThenTheEngineReopensIt() throws Exception {
        Path file = dir.resolve("gone.db");
        Path backup = dir.resolve("backup.db");
        try (Engine engine = open(file)) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
            insert(engine);
            engine.connections().read(c -> c.createStatement().executeUpdate("backup to " + backup));
            insert(engine);

            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(dir.resolve("gone.db" + suffix));
            }
            assertThatThrownBy(() -> insert(engine)).isInstanceOfSatisfying(ConnectionException.class, e -> {
                assertThat(e.getMessage()).startsWith("[fault] ").contains("was deleted").contains("gone.db");
            });
            assertThat(file).doesNotExist(); // nothing was written into a new, empty file either

            Files.copy(backup, file); // the operator restores the backup
            insert(engine);
            assertThat(SqliteEngineTest.rows(engine)).isEqualTo(2); // the backup's row and the new one
        }
    }

    @Test
    void aReplacedFileIsReopenedAndWritesGoToTheFileAtThePath() throws Exception {
        Path file = dir.resolve("swap.db");
        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other)) {
            c.createStatement().execute("CREATE TABLE t(v)");
            c.createStatement().execute("INSERT INTO t VALUES (7), (8), (9)");
        }
        try (Engine engine = open(file)) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
            insert(engine);
            Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(dir.resolve("swap.db-wal"));
            Files.deleteIfExists(dir.resolve("swap.db-shm"));

            insert(engine);
            assertThat(SqliteEngineTest.rows(engine)).isEqualTo(4);
            assertThat(engine.status().errors()).isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(4);
        }
    }
}
