package dev.sqliteengine.itests;

import static dev.sqliteengine.itests.support.Engines.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.itests.support.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.Configuration;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.annotation.Property;
import org.osgi.test.common.annotation.config.InjectConfiguration;
import org.osgi.test.common.annotation.config.WithFactoryConfiguration;
import org.osgi.test.junit5.cm.ConfigurationExtension;

/** An engine declared the way osgi-test declares configurations: typed values straight into Config Admin. */
@ExtendWith(ConfigurationExtension.class)
class DeclaredConfigurationTest {

    @Test
    @WithFactoryConfiguration(factoryPid = EngineProperties.FACTORY_PID, name = "declared", location = "?",
            properties = {
                @Property(key = EngineProperties.PATH, value = EngineProperties.MEMORY_PATH),
                @Property(key = EngineProperties.CONNECTION_MAX, value = "3", scalar = Property.Scalar.Integer),
                @Property(key = "pragma.foreign_keys", value = "false", scalar = Property.Scalar.Boolean)
            })
    void typed_values_configure_the_engine(
            @InjectConfiguration("dev.sqliteengine.engine~declared") Configuration configuration,
            @InjectService(filter = "(engine.name=declared)", timeout = 10_000) Engine engine,
            @InjectService(filter = "(dataSourceName=declared)", timeout = 10_000) ConnectionManager manager) {
        assertThat(configuration.getFactoryPid()).isEqualTo(EngineProperties.FACTORY_PID);

        manager.execute(c -> c.createStatement().executeUpdate("CREATE TABLE t(v INTEGER)"));
        manager.execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1), (2)"));

        assertThat(count(manager, "t")).isEqualTo(2);
        assertThat(engine.status().pool("readers")).get().extracting(PoolStatus::max).isEqualTo(3);
        assertThat(engine.status().path()).isEqualTo(EngineProperties.MEMORY_PATH);
        assertThat(Engines.pragma(manager, "foreign_keys")).isEqualTo("0");
    }
}
