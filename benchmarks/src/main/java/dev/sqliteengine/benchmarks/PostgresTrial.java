package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One PostgreSQL server for a benchmark trial, started by the {@code postgres-server} module as
 * the tests start theirs (as the unprivileged {@code postgres} user when the JVM runs as root, on
 * loopback, with PostgreSQL's default durability: {@code fsync} and {@code synchronous_commit} on),
 * a database of its own filled with {@value Databases#ROWS} rows, and on it either an engine of
 * {@code type=postgresql} or a raw HikariCP pool over pgjdbc: the same server, database and SQL
 * for both sides of a comparison.
 */
final class PostgresTrial implements AutoCloseable {

    private final PostgresPrimary server;
    private final PostgresDatabase database;
    private Engine engine;
    private HikariDataSource raw;
    private HikariDataSource rawReaders;

    private PostgresTrial(PostgresPrimary server, PostgresDatabase database) {
        this.server = server;
        this.database = database;
    }

    /** Starts a server and makes a database on it. */
    static PostgresTrial start() {
        PostgresPrimary server = PostgresPrimary.launch();
        try {
            return new PostgresTrial(server, server.createDatabase("bench"));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * @param extra engine properties beyond the server's ({@code type}, {@code url}, {@code user},
     *        {@code password}), for example {@code isolation}
     * @return an engine on the trial's database, through {@link ServiceLoader} as an application
     *         outside OSGi gets one, the table filled
     */
    Engine engine(Map<String, ?> extra) {
        EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no EngineFactory on the class path"));
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("name", "bench-pg");
        properties.put("type", "postgresql");
        properties.put("url", server.jdbcUrl(database.name()));
        properties.put("user", database.user());
        properties.put("password", database.password());
        engine = factory.create(properties);
        Databases.fill(engine);
        return engine;
    }

    /**
     * @return a HikariCP pool of {@code size} over pgjdbc's own data source on the trial's
     *         database, at pgjdbc's defaults (auto-commit, READ COMMITTED unless
     *         {@code isolation} says otherwise), the table filled
     */
    HikariDataSource raw(int size, String isolation) throws SQLException {
        raw = new HikariDataSource(rawConfig("raw-pg", size, isolation));
        try (Connection c = raw.getConnection()) {
            fill(c);
        }
        return raw;
    }

    /**
     * @return a second HikariCP pool on the database, for reads in transactions as an application
     *         would set one up by hand to read one snapshot at a time: read-only,
     *         {@code REPEATABLE READ}, auto-commit off (pgjdbc sends {@code BEGIN READ ONLY} with
     *         the first statement), closed with the trial
     */
    HikariDataSource rawReaders(int size) {
        HikariConfig config = rawConfig("raw-pg-readers", size, "REPEATABLE_READ");
        config.setReadOnly(true);
        config.setAutoCommit(false);
        rawReaders = new HikariDataSource(config);
        return rawReaders;
    }

    private HikariConfig rawConfig(String name, int size, String isolation) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(server.jdbcUrl(database.name()));
        source.setUser(database.user());
        source.setPassword(database.password());
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(source);
        config.setMaximumPoolSize(size);
        if (isolation != null) {
            config.setTransactionIsolation("TRANSACTION_" + isolation);
        }
        return config;
    }

    /** {@link Databases#fill(Connection)} for PostgreSQL, which has no {@code BEGIN IMMEDIATE}. */
    private static void fill(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(Databases.CREATE);
        }
        c.setAutoCommit(false);
        try (var insert = c.prepareStatement(Databases.INSERT)) {
            for (int id = 1; id <= Databases.ROWS; id++) {
                insert.setInt(1, id);
                insert.setString(2, Databases.PAYLOAD);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    @Override
    public void close() {
        try {
            if (engine != null) {
                engine.close();
            }
            if (raw != null) {
                raw.close();
            }
            if (rawReaders != null) {
                rawReaders.close();
            }
        } finally {
            server.close();
        }
    }
}
