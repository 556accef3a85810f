package dev.sqliteengine.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.Map;
import java.util.ServiceLoader;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flyway migrates a database through the engine's {@code DataSource}, and the engine serves
 * writes right after: Flyway's transactions leave no lock and no open transaction behind.
 */
class FlywayTest {

    @TempDir
    Path dir;

    @Test
    void flywayMigratesThroughTheDataSourceAndLeavesTheWriterFree() {
        EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
        try (Engine engine = factory.create(Map.of("name", "flyway", "path", dir.resolve("flyway.db").toString(),
                "pragma.busy_timeout", 0))) {
            Flyway flyway = Flyway.configure().dataSource(engine.dataSource()).locations("classpath:db/migration").load();

            MigrateResult first = flyway.migrate();
            assertThat(first.migrationsExecuted).isEqualTo(2);
            assertThat(flyway.migrate().migrationsExecuted).isZero();

            // busy_timeout 0: a lock left behind by Flyway would fail this write at once
            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO orders(item, amount) VALUES ('ink', 1)"));
            int orders = engine.connections().read(c -> {
                try (ResultSet rows = c.createStatement().executeQuery("SELECT count(*) FROM orders")) {
                    rows.next();
                    return rows.getInt(1);
                }
            });
            assertThat(orders).isEqualTo(3);
            assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("2");
        }
    }
}
