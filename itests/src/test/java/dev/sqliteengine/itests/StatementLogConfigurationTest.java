package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Issue 13, statement logging through Config Admin: {@code log.*} changes apply to the running
 * engine in place, on the connections it has, and slow statements are logged at WARN under
 * {@code dev.sqliteengine.sql.<engine>} (this run's slf4j-simple logs WARN and above to
 * {@code System.err}, which the test reads).
 */
class StatementLogConfigurationTest {

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

    @Test
    void a_live_update_turns_slow_statement_logging_on_without_new_connections() throws Exception {
        Configuration configuration = engines.configure("logged", EngineProperties.PATH,
                dir.resolve("logged.db").toString());
        Engine engine = engines.service(Engine.class, "logged");
        ConnectionManager units = engines.service(ConnectionManager.class, "logged");
        Connection writer = units.write(c -> c.unwrap(org.sqlite.SQLiteConnection.class));

        engines.update(configuration, EngineProperties.LOG_STATEMENTS, "slow", EngineProperties.LOG_SLOW_THRESHOLD, "0");
        await().atMost(Engines.TIMEOUT).until(() -> "slow".equals(engine.status().settings().get("log.statements")));

        String log = systemErrDuring(() -> units.write(c -> c.createStatement().executeUpdate("CREATE TABLE t(v)")));
        assertThat(log).contains("WARN dev.sqliteengine.sql.logged - [logged] slow (log.slowThreshold=0 ms): ")
                .contains("0 rows: CREATE TABLE t(v)");
        assertThat(units.<Object>write(c -> c.unwrap(org.sqlite.SQLiteConnection.class))).as("the same writer connection")
                .isSameAs(writer);

        engines.update(configuration, EngineProperties.LOG_STATEMENTS, "off");
        await().atMost(Engines.TIMEOUT).until(() -> "off".equals(engine.status().settings().get("log.statements")));
        assertThat(systemErrDuring(() -> units.write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1)"))))
                .doesNotContain("dev.sqliteengine.sql.logged");
    }

    private static String systemErrDuring(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }
}
