package dev.sqliteengine.itests.configurator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.PoolStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;

/**
 * The OSGi Configurator provisions an engine: this test bundle carries
 * {@code OSGI-INF/configurator/configured-engine.json} and requires the {@code osgi.configurator}
 * extender, so the Felix Configurator turns the JSON into the factory configuration
 * {@code dev.sqliteengine.engine~configured}, with the JSON's typed values, and the engine comes up
 * from it. Runs only in {@code configurator.bndrun}.
 */
class ConfiguratorProvisioningTest {

    /** The engine named in the JSON resource. */
    static final String NAME = "configured";

    /** CM is asynchronous and the Configurator starts last: give the engine time to appear. */
    static final long TIMEOUT = 20_000;

    @Test
    void the_configurator_provisions_the_engine_with_typed_values(
            @InjectService(filter = "(engine.name=" + NAME + ")", timeout = TIMEOUT) Engine engine,
            @InjectService(filter = "(engine.name=" + NAME + ")", timeout = TIMEOUT) ConnectionManager manager,
            @InjectService(filter = "(engine.name=" + NAME + ")", timeout = TIMEOUT) DataSource dataSource,
            @InjectService(timeout = TIMEOUT) ConfigurationAdmin admin) throws Exception {
        // the configuration came from the Configurator, with the JSON's types kept
        Configuration[] configurations = admin.listConfigurations(
                "(" + "service.pid=" + EngineProperties.FACTORY_PID + "~" + NAME + ")");
        assertThat(configurations).as("configuration made by the Configurator").hasSize(1);
        Configuration configuration = configurations[0];
        assertThat(configuration.getFactoryPid()).isEqualTo(EngineProperties.FACTORY_PID);
        assertThat(configuration.getProperties().get(EngineProperties.CONNECTION_MAX)).isEqualTo(3);
        assertThat(configuration.getProperties().get("osgi.connection.timeout")).isEqualTo(5000L);

        // the engine runs with those settings
        assertThat(engine.name()).isEqualTo(NAME);
        assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        assertThat(engine.status().settings()).containsEntry(EngineProperties.CONNECTION_MAX, 3);
        assertThat(engine.status().pool("readers")).get().extracting(PoolStatus::max).isEqualTo(3);
        assertThat(Path.of(engine.status().path())).isAbsolute()
                .endsWith(Path.of("target", "configurator-it", "configured.db"));

        // and SQL works through its services
        manager.execute(c -> update(c, "DROP TABLE IF EXISTS provisioned"));
        manager.execute(c -> update(c, "CREATE TABLE provisioned(v INTEGER NOT NULL)"));
        manager.execute(c -> update(c, "INSERT INTO provisioned VALUES (1), (2), (3)"));
        Object sum = manager.read(c -> single(c, "SELECT sum(v) FROM provisioned"));
        Object journalMode = manager.read(c -> single(c, "PRAGMA journal_mode"));
        Object foreignKeys = manager.read(c -> single(c, "PRAGMA foreign_keys"));
        assertThat(sum).isEqualTo(6);
        assertThat(journalMode).isEqualTo("wal");
        assertThat(foreignKeys).isEqualTo(1);
        try (Connection connection = dataSource.getConnection()) {
            assertThat(single(connection, "SELECT count(*) FROM provisioned")).isEqualTo(3);
        }
    }

    private static void update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static Object single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row from %s", sql).isTrue();
            return rows.getObject(1);
        }
    }
}
