package dev.sqliteengine.itests.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineFailure;
import dev.sqliteengine.api.EngineFailures;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.consumer.UnitRunner;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A configuration of {@code type=postgresql} made while its server is down: it shows as FAILED
 * with the reason, in {@code EngineFailures}, {@code EngineConfigurations} and
 * {@code engine:list}, and registers no service, so its consumer waits; once the server is up the
 * engine opens by itself (the impl tries again, less and less often), with no update, and its
 * consumer runs. The server here is the test's own, since it is stopped.
 */
@ExtendWith(PostgresExtension.class)
class ServerDownAtCreationTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    EngineFailures failures;

    @InjectService(timeout = 10_000)
    EngineConfigurations configurations;

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    Engines engines;
    Consumer consumer;

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void deleteConfigurations() throws Exception {
        if (consumer != null) {
            consumer.close();
        }
        engines.close();
    }

    @Test
    void itIsFailedWithTheReasonUntilTheServerStartsThenServesByItself(PostgresPrimary primary) throws Exception {
        PostgresDatabase database = primary.createDatabase("later");
        primary.stop();
        engines.configure("later", EngineProperties.TYPE, "postgresql", EngineProperties.URL, database.jdbcUrl(),
                EngineProperties.USER, database.user(), EngineProperties.PASSWORD, database.password());
        consumer = Consumer.of(admin, context, "later");

        String pid = EngineProperties.FACTORY_PID + "~later";
        EngineFailure failure = await().atMost(Engines.TIMEOUT).until(() -> failures.get(pid).orElse(null), f -> f != null);
        assertThat(failure.message()).startsWith("[later] opening " + database.jdbcUrl() + " failed (SQLSTATE 08")
                .doesNotContain(database.password());
        EngineConfiguration configured = configurations.get("later").orElseThrow();
        assertThat(configured.state()).isEqualTo(State.FAILED);
        assertThat(configured.rejection()).hasValueSatisfying(why -> assertThat(why).contains("SQLSTATE 08"));
        try (ShellSession shell = new ShellSession(processor)) {
            assertThat(shell.run("engine:list")).containsPattern("(?m)^later +FAILED +" + Pattern.quote(database.jdbcUrl())
                    + " +opening " + Pattern.quote(database.jdbcUrl()) + " failed \\(SQLSTATE 08");
        }
        assertThat(engines.registered("later")).isZero();
        assertThat(consumer.reference()).isEmpty();

        primary.start();
        UnitRunner runner = consumer.awaitActive();
        Consumer.awaitProgress(runner, 30);

        assertThat(runner.failures()).isEmpty();
        assertThat(failures.get(pid)).isEmpty();
        assertThat(configurations.get("later").orElseThrow().state()).isEqualTo(State.RUNNING);
        try (ShellSession shell = new ShellSession(processor)) {
            assertThat(shell.run("engine:list")).containsPattern("(?m)^later +RUNNING +" + Pattern.quote(database.jdbcUrl()));
        }
    }
}
