package dev.sqliteengine.impl.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.impl.engine.EngineRegistry;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.impl.engine.SqliteEngineFactory;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MXBean of a PostgreSQL engine: its path is the server's URL, and no attribute holds the
 * password, whatever a JMX client reads.
 */
@ExtendWith(PostgresExtension.class)
class PostgresqlMBeanTest {

    @Test
    void itShowsTheServerAndNeverThePassword(PostgresDatabase database) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("name", "vault", "type", "postgresql",
                "url", database.jdbcUrl(), "user", database.user(), "password", database.password()));
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (SqliteEngine engine = new SqliteEngineFactory(new EngineRegistry()).create(config)) {
            EngineMBeans.Registration registration = EngineMBeans.register(engine, server);
            ObjectName name = EngineMBeans.objectName("vault");
            List<String> values = new ArrayList<>();
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                Object value = server.getAttribute(name, attribute.getName());
                values.add(attribute.getName() + "=" + (value instanceof Object[] array ? Arrays.deepToString(array) : value));
            }
            registration.unregister();

            assertThat(values).contains("Path=" + database.jdbcUrl());
            assertThat(values).hasSizeGreaterThan(10).allSatisfy(v -> assertThat(v).doesNotContain(database.password()));
        }
    }
}
