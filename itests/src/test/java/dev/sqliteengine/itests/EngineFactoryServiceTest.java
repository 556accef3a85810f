package dev.sqliteengine.itests;

import static dev.sqliteengine.itests.support.Engines.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.sqlite.SQLiteDataSource;

/** The EngineFactory service: engines a bundle creates and closes itself. */
class EngineFactoryServiceTest {

    @InjectService(timeout = 10_000)
    EngineFactory factory;

    @TempDir
    Path dir;

    @Test
    void creates_a_working_engine_and_closing_it_releases_the_file() throws Exception {
        Path file = dir.resolve("made.db");
        Engine engine = factory.create(Map.of(EngineProperties.NAME, "made", EngineProperties.PATH, file.toString()));
        try {
            engine.connections().execute(c -> {
                c.createStatement().executeUpdate("CREATE TABLE t(v INTEGER)");
                c.createStatement().executeUpdate("INSERT INTO t VALUES (1)");
            });
            assertThat(count(engine.connections(), "t")).isEqualTo(1);
            assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        } finally {
            engine.close();
        }

        assertThat(engine.status().state()).isEqualTo(EngineState.CLOSED);
        assertThatThrownBy(engine::connect).isInstanceOf(EngineException.class);
        SQLiteDataSource plain = new SQLiteDataSource();
        plain.setUrl("jdbc:sqlite:" + file);
        try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=0");
            s.execute("BEGIN EXCLUSIVE");
            s.executeUpdate("INSERT INTO t VALUES (2)");
            s.execute("COMMIT");
            assertThat(count(c, "t")).isEqualTo(2);
        }
    }

    @Test
    void refuses_an_invalid_property_naming_it() {
        assertThatThrownBy(() -> factory.create(Map.of(EngineProperties.NAME, "badly",
                EngineProperties.PATH, dir.resolve("bad.db").toString(), "pragma.journal_mode", "BOGUS")))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.property()).isEqualTo("pragma.journal_mode"));
    }
}
