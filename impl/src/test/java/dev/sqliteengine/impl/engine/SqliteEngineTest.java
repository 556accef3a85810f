package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What SQLite engines do of their own: the pragmas on every connection, the in-memory database,
 * file claims and permissions, the WAL truncated at close, pragma and path changes on new pools.
 * What units and reconfigurations mean on every database type is in the contract suite
 * ({@link UnitsOfWorkTest} and the other classes marked {@link OnEveryDatabaseType}).
 */
class SqliteEngineTest {

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    private SqliteEngine open(String name, Object... keyValues) {
        SqliteEngine engine = SqliteEngine.open(settings(name, keyValues), registry);
        engines.add(engine);
        return engine;
    }

    private EngineSettings settings(String name, Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        map.put("path", dir.resolve(name + ".db").toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return EngineSettings.parse(map, name, null);
    }

    static int rows(Engine engine) {
        return engine.connections().read(c -> count(c, "t"));
    }

    static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
            r.next();
            return r.getString(1);
        }
    }

    static int count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        }
    }

    static void sql(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void assertSeedPragmas(Connection c) throws SQLException {
        assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(c, "synchronous")).isEqualTo("1");
        assertThat(pragma(c, "cache_size")).isEqualTo("-64000");
        assertThat(pragma(c, "foreign_keys")).isEqualTo("1");
        assertThat(pragma(c, "busy_timeout")).isEqualTo("5000");
        assertThat(pragma(c, "temp_store")).isEqualTo("2");
    }

    @Test
    void everyPooledConnectionHasThePragmas() throws Exception {
        Engine engine = open("p", "osgi.connection.min", 0);
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Connection c = engine.dataSource().getConnection();
                held.add(c);
                assertSeedPragmas(c);
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        engine.connections().write(c -> {
            assertSeedPragmas(c);
            return null;
        });
        engine.connections().read(c -> {
            assertSeedPragmas(c);
            return null;
        });
    }

    @Test
    void inMemoryDataSurvivesPoolChurn() throws Exception {
        Engine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", ":memory:", "osgi.connection.min", 0,
                "osgi.connection.max", 2), "mem", null), registry);
        engines.add(engine);
        engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER)"));
        engine.connections().execute(c -> sql(c, "INSERT INTO t VALUES (1), (2), (3)"));
        for (int i = 0; i < 20; i++) {
            try (Connection c = engine.connect()) {
                c.unwrap(Connection.class).isValid(1);
                assertThat(count(c, "t")).isEqualTo(3);
            }
        }
        ((SqliteEngine) engine).reconfigure(EngineSettings.parse(Map.of("path", ":memory:", "pragma.cache_size", -1000),
                "mem", null));
        assertThat(rows(engine)).isEqualTo(3);
        assertThat(engine.status().path()).isEqualTo(":memory:");
    }

    @Test
    void twoInMemoryEnginesDoNotShareData() {
        Engine a = SqliteEngine.open(EngineSettings.parse(Map.of("path", ":memory:"), "ma", null), registry);
        Engine b = SqliteEngine.open(EngineSettings.parse(Map.of("path", ":memory:"), "mb", null), registry);
        engines.add(a);
        engines.add(b);
        a.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER)"));
        assertThatThrownBy(() -> b.connections().read(c -> count(c, "t"))).hasMessageContaining("no such table");
    }

    @Test
    void namesAndFilesAreUnique() {
        open("one");
        assertThatThrownBy(() -> open("one", "path", dir.resolve("other.db").toString()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.property()).isEqualTo("name"));
        assertThatThrownBy(() -> open("two", "path", dir.resolve("one.db").toString()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo("path");
                    assertThat(e.getMessage()).contains("engine one has it open");
                });
        assertThat(registry.isRunning("two")).isFalse();
    }

    @Test
    void closingReleasesTheFileAndTruncatesTheWal() throws Exception {
        Engine engine = open("close");
        engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER)"));
        engine.connections().execute(c -> sql(c, "INSERT INTO t VALUES (1)"));
        List<EngineEvent.Type> events = new CopyOnWriteArrayList<>();
        engine.addListener(new EngineListener() {
            @Override
            public void closed(EngineEvent event) {
                events.add(event.type());
            }
        });
        engine.close();
        assertThat(engine.status().state()).isEqualTo(EngineState.CLOSED);
        assertThat(events).containsExactly(EngineEvent.Type.CLOSED);
        Path wal = dir.resolve("close.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).isTrue();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("close.db"))) {
            sql(c, "PRAGMA locking_mode=EXCLUSIVE");
            sql(c, "BEGIN EXCLUSIVE");
            assertThat(count(c, "t")).isEqualTo(1);
            sql(c, "COMMIT");
        }
        assertThatThrownBy(() -> engine.connections().read(c -> 1)).hasMessageContaining("closed");
        assertThat(registry.isRunning("close")).isFalse();
    }

    @Test
    void newDatabaseFilesAreReadableByTheirOwnerOnly() throws Exception {
        open("secret").connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER)"));
        for (String file : new String[] {"secret.db", "secret.db-wal", "secret.db-shm"}) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(file))).as(file)
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void aFolderIsNotADatabase() {
        assertThatThrownBy(() -> open("dir", "path", dir.toString()))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.property()).isEqualTo("path"));
    }

    @Nested
    class Reconfiguration {

        @Test
        void aPragmaChangeReachesNewConnectionsAndKeepsTheData() throws Exception {
            SqliteEngine engine = open("prag");
            engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER)"));
            engine.connections().execute(c -> sql(c, "INSERT INTO t VALUES (1)"));
            engine.reconfigure(settings("prag", "pragma.cache_size", -2000, "pragma.synchronous", "FULL"));
            engine.connections().write(c -> {
                assertThat(pragma(c, "synchronous")).isEqualTo("2");
                return null;
            });
            try (Connection c = engine.connect()) {
                assertThat(pragma(c, "cache_size")).isEqualTo("-2000");
                assertThat(count(c, "t")).isEqualTo(1);
            }
            assertThat(engine.status().reconfigurations()).isEqualTo(1);
        }

        @Test
        void leavingWalModeWorksWhileTheEngineRuns() throws Exception {
            SqliteEngine engine = open("jm");
            engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER)"));
            engine.reconfigure(settings("jm", "pragma.journal_mode", "DELETE"));
            engine.connections().execute(c -> sql(c, "INSERT INTO t VALUES (1)"));
            assertThat(engine.connections().<String>read(c -> pragma(c, "journal_mode"))).isEqualTo("delete");
            assertThat(rows(engine)).isEqualTo(1);
        }

        @Test
        void aChangeThatCannotWorkKeepsThePreviousSettings() {
            SqliteEngine engine = open("keep");
            open("other");
            List<String> rejections = new CopyOnWriteArrayList<>();
            engine.addListener(new EngineListener() {
                @Override
                public void rejected(EngineEvent event) {
                    rejections.add(event.message());
                }
            });
            assertThatThrownBy(() -> engine.reconfigure(settings("keep", "path", dir.resolve("other.db").toString())))
                    .isInstanceOf(ConfigurationException.class);
            assertThat(engine.status().lastRejection()).hasValueSatisfying(m -> assertThat(m).contains("other"));
            assertThat(rejections).hasSize(1);
            assertThat(engine.connections().<Integer>read(c -> 42)).isEqualTo(42);
            assertThat(engine.status().path()).endsWith("keep.db");
        }

        @Test
        void aNewPathMovesTheEngineAndReleasesTheOldFile() throws Exception {
            SqliteEngine engine = open("move");
            engine.reconfigure(settings("move", "path", dir.resolve("moved.db").toString()));
            engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER)"));
            assertThat(engine.status().path()).endsWith("moved.db");
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                // the old generation closes in the background once drained
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("move.db"))) {
                    sql(c, "PRAGMA locking_mode=EXCLUSIVE");
                    sql(c, "BEGIN EXCLUSIVE");
                    sql(c, "COMMIT");
                }
            });
            SqliteEngine other = open("x", "path", dir.resolve("move.db").toString());
            assertThat(other.status().state()).isEqualTo(EngineState.RUNNING);
        }
    }
}
