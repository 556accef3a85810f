package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.sqlite.SQLiteConnection;

/**
 * The prepared-statement cache through Config Admin: on by default, its size changes in place
 * (the same connections go on), its figures show in the engine's status, and a size out of range
 * is rejected naming the property while the engine keeps serving with the size it had.
 */
class StatementCacheConfigurationTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @TempDir
    Path dir;

    Engines engines;

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void cleanUp() throws Exception {
        engines.close();
    }

    private static String pointRead(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private static void reads(ConnectionManager units) {
        for (int i = 0; i < 20; i++) {
            int id = i % 3;
            String read = units.read(c -> pointRead(c, id));
            assertThat(read).isEqualTo("v" + id);
        }
    }

    @Test
    void the_size_changes_in_place_and_a_bad_size_keeps_the_engine_serving() throws Exception {
        Configuration configuration = engines.configure("cached", EngineProperties.PATH, dir.resolve("cached.db").toString());
        Engine engine = engines.service(Engine.class, "cached");
        ConnectionManager units = engines.service(ConnectionManager.class, "cached");
        units.write(c -> {
            c.createStatement().executeUpdate("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            return c.createStatement().executeUpdate("INSERT INTO t VALUES (0, 'v0'), (1, 'v1'), (2, 'v2')");
        });
        assertThat(engine.status().settings().get(EngineProperties.STATEMENT_CACHE_SIZE))
                .isEqualTo(EngineProperties.DEFAULT_STATEMENT_CACHE_SIZE);

        reads(units);
        assertThat(engine.status().statementCache().reused()).as("statements reused by default").isPositive();

        Connection writer = units.write(c -> c.unwrap(SQLiteConnection.class));
        engines.update(configuration, EngineProperties.STATEMENT_CACHE_SIZE, 0);
        await().atMost(Engines.TIMEOUT).until(() -> Integer.valueOf(0)
                .equals(engine.status().settings().get(EngineProperties.STATEMENT_CACHE_SIZE)));
        assertThat(units.<Object>write(c -> c.unwrap(SQLiteConnection.class))).as("the same writer connection: in place")
                .isSameAs(writer);
        long reused = engine.status().statementCache().reused();
        reads(units);
        assertThat(engine.status().statementCache().reused()).as("nothing reused with the cache off").isEqualTo(reused);

        engines.update(configuration, EngineProperties.STATEMENT_CACHE_SIZE, -5);
        await().atMost(Engines.TIMEOUT).until(() -> engine.status().lastRejection().isPresent());
        assertThat(engine.status().lastRejection()).get().asString().contains("[cached]")
                .contains(EngineProperties.STATEMENT_CACHE_SIZE).contains("-5").contains("0 (no cache) to 1000");
        assertThat(engine.status().settings().get(EngineProperties.STATEMENT_CACHE_SIZE)).isEqualTo(0);
        reads(units);
    }
}
