package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.impl.engine.EngineRegistry;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.engine.SqliteEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Shared set-up of the benchmarks: temp folders, engines, plain pools and the test table. */
final class Databases {

    /** Rows the table holds before a benchmark starts; point reads pick ids in 1..ROWS. */
    static final int ROWS = 10_000;

    static final String CREATE = "CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY, n INTEGER NOT NULL, payload TEXT NOT NULL)";
    static final String SELECT = "SELECT n, payload FROM items WHERE id = ?";
    static final String INSERT = "INSERT INTO items(id, n, payload) VALUES (?, 0, ?)";
    static final String INSERT_AUTO_ID = "INSERT INTO items(n, payload) VALUES (0, ?)";
    static final String SELECT_N = "SELECT n FROM items WHERE id = ?";
    static final String SET_N = "UPDATE items SET n = ? WHERE id = ?";
    static final String UPDATE = "UPDATE items SET n = n + 1 WHERE id = ?";
    static final String PAYLOAD = "x".repeat(100);

    private static final AtomicInteger NAMES = new AtomicInteger();

    private Databases() {}

    static Path tempDir() {
        try {
            return Files.createTempDirectory("sqlite-engine-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An engine on a new file in {@code dir}, through {@link ServiceLoader}, with the defaults (WAL, ...) plus {@code extra}. */
    static Engine engine(Path dir, String file, Map<String, ?> extra) {
        EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no EngineFactory on the class path"));
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("name", "bench-" + NAMES.incrementAndGet());
        properties.put("path", dir.resolve(file).toString());
        return Observed.ifAsked(factory.create(properties));
    }

    /**
     * The properties of an engine on a new file in {@code dir} (a fresh name, the defaults plus
     * {@code extra}), for {@link EngineSettings#parse}; change a copy and parse it again to get
     * settings for {@link SqliteEngine#reconfigure}.
     */
    static Map<String, Object> properties(Path dir, String file, Map<String, ?> extra) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("name", "bench-" + NAMES.incrementAndGet());
        properties.put("path", dir.resolve(file).toString());
        return properties;
    }

    /** An engine opened directly (not through {@link ServiceLoader}), so it can be reconfigured. */
    static SqliteEngine openEngine(Map<String, Object> properties) {
        return SqliteEngine.open(EngineSettings.parse(properties, null, null), new EngineRegistry());
    }

    /** Settings parsed from {@code properties} with {@code key} replaced by {@code value}. */
    static EngineSettings with(Map<String, Object> properties, String key, Object value) {
        Map<String, Object> changed = new HashMap<>(properties);
        changed.put(key, value);
        return EngineSettings.parse(changed, null, null);
    }

    /**
     * The driver configuration the engine uses by default: journal_mode WAL, synchronous NORMAL,
     * cache_size -64000, foreign_keys ON, busy_timeout 5000, temp_store MEMORY.
     */
    static SQLiteConfig tunedConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setCacheSize(-64000);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return config;
    }

    static SQLiteDataSource driver(Path file, SQLiteConfig config) {
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
        return source;
    }

    /** A plain HikariCP pool (HikariCP defaults apart from the size) over {@code source}. */
    static HikariDataSource hikari(SQLiteDataSource source, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(source);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /** Creates the table and fills it with {@link #ROWS} rows in one transaction, on a connection in auto-commit mode. */
    static void fill(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(CREATE);
            s.execute("BEGIN IMMEDIATE");
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (int id = 1; id <= ROWS; id++) {
                insert.setInt(1, id);
                insert.setString(2, PAYLOAD);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("COMMIT");
        }
    }

    /** Fills the engine's database through a write unit (the unit runs the table's transaction). */
    static void fill(Engine engine) {
        engine.connections().execute(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(CREATE);
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (int id = 1; id <= ROWS; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, PAYLOAD);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /** One point read by primary key; returns something derived from the row so it is not optimised away. */
    /** Closes what a benchmark opened (either may be null), then deletes its folder. */
    static void closeAll(Path dir, HikariDataSource raw, Engine engine) {
        if (raw != null) {
            raw.close();
        }
        if (engine != null) {
            engine.close();
        }
        deleteTree(dir);
    }

    static int pointRead(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT)) {
            s.setInt(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getInt(1) + r.getString(2).length() : -1;
            }
        }
    }

    static int update(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(UPDATE)) {
            s.setInt(1, id);
            return s.executeUpdate();
        }
    }

    /** Reads a row's {@code n} and writes it back plus one: a read-modify-write. Returns the new value. */
    static int readModifyWrite(Connection c, int id) throws SQLException {
        int n;
        try (PreparedStatement s = c.prepareStatement(SELECT_N)) {
            s.setInt(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no row for id " + id);
                }
                n = r.getInt(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement(SET_N)) {
            s.setInt(1, n + 1);
            s.setInt(2, id);
            s.executeUpdate();
        }
        return n + 1;
    }

    static int insert(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setLong(1, id);
            s.setString(2, PAYLOAD);
            return s.executeUpdate();
        }
    }

    static int insertAutoId(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT_AUTO_ID)) {
            s.setString(1, PAYLOAD);
            return s.executeUpdate();
        }
    }
}
