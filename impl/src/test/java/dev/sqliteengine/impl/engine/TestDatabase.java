package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test's database of one {@link DatabaseKind}, and the engines the test opens on it, closed
 * when the test ends: on SQLite a file in a folder of the test's own, on PostgreSQL a schema of
 * the test's own (every connection of its engines has it as {@code currentSchema}). Engines are
 * configured as an application would, with the engine's defaults; a test adds the properties it
 * is about. Engines of one test share its database whatever their names, and their names are
 * unique among them (one {@link EngineRegistry} per test).
 */
final class TestDatabase implements AutoCloseable {

    private final DatabaseKind kind;
    private final Method test;
    private final Path folder;
    private final PostgresDatabase server;
    private final String schema;
    private final EngineRegistry registry = new EngineRegistry();
    private final List<SqliteEngine> engines = new ArrayList<>();

    private TestDatabase(DatabaseKind kind, Method test, Path folder, PostgresDatabase server, String schema) {
        this.kind = kind;
        this.test = test;
        this.folder = folder;
        this.server = server;
        this.schema = schema;
    }

    static TestDatabase sqlite(ExtensionContext context) {
        try {
            return new TestDatabase(DatabaseKind.SQLITE, context.getRequiredTestMethod(),
                    Files.createTempDirectory("contract-"), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param schema the test's schema, empty, in {@code server}'s database */
    static TestDatabase postgresql(ExtensionContext context, PostgresDatabase server, String schema) {
        return new TestDatabase(DatabaseKind.POSTGRESQL, context.getRequiredTestMethod(), null, server, schema);
    }

    DatabaseKind kind() {
        return kind;
    }

    /**
     * @return whether this database behaves as {@code difference} describes, which the running
     *         test must name with {@link Differs}: the tests that show a difference are listed
     *         where it is documented
     */
    boolean differs(Difference difference) {
        Differs named = test.getAnnotation(Differs.class);
        if (named == null || !Arrays.asList(named.value()).contains(difference)) {
            throw new IllegalStateException(test + " asks about " + difference + " without naming it in @Differs");
        }
        return difference.on(kind);
    }

    /**
     * @param overrides property, value, property, value...
     * @return the configuration of an engine named {@code name} on this database
     */
    Map<String, Object> config(String name, Object... overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(EngineProperties.NAME, name);
        if (kind == DatabaseKind.SQLITE) {
            config.put(EngineProperties.PATH, folder.resolve("database.db").toString());
        } else {
            config.put("type", "postgresql");
            config.put("url", server.jdbcUrl() + "?currentSchema=" + schema);
            config.put("user", server.user());
            config.put("password", server.password());
        }
        for (int i = 0; i < overrides.length; i += 2) {
            config.put((String) overrides[i], overrides[i + 1]);
        }
        return config;
    }

    /** @return the settings of {@link #config}, as a reconfiguration takes them */
    EngineSettings settings(String name, Object... overrides) {
        return EngineSettings.parse(config(name, overrides), null, null);
    }

    /** @return a running engine, closed when the test ends */
    SqliteEngine open(String name, Object... overrides) {
        return open(config(name, overrides));
    }

    /** @return a running engine of that configuration (from {@link #config}), closed when the test ends */
    SqliteEngine open(Map<String, Object> config) {
        SqliteEngine engine = new SqliteEngineFactory(registry).create(config);
        engines.add(engine);
        return engine;
    }

    /**
     * @return property, value...: a change that validates but cannot open, so a reconfiguration
     *         fails when it builds the new pool: SQLite, a folder as the database; PostgreSQL, a
     *         password the server refuses
     */
    Map<String, Object> aChangeThatCannotOpen() {
        return kind == DatabaseKind.SQLITE ? Map.of(EngineProperties.PATH, folder.toString())
                : Map.of("password", "Wr0ng-" + System.nanoTime());
    }

    /** @return a connection to the database past every engine, as another program would have */
    Connection foreignConnection() throws SQLException {
        if (kind == DatabaseKind.SQLITE) {
            return DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("database.db"));
        }
        Connection c = server.dataSource().getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path = " + schema);
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        engines.forEach(SqliteEngine::close);
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Override
    public String toString() {
        return kind == DatabaseKind.SQLITE ? folder.resolve("database.db").toString() : schema + " in " + server;
    }
}
