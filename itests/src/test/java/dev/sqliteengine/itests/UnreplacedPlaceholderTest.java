package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineFailure;
import dev.sqliteengine.api.EngineFailures;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A placeholder of Config Admin's interpolation plugin ({@code $[secret:NAME]}, {@code $[env:NAME]})
 * that reaches the engine unreplaced: this run has no such plugin, as a container whose secret file
 * is missing has none for that value. The engine is not opened on the placeholder; its
 * configuration is FAILED, naming the property and the placeholder, and where its value was looked for.
 */
class UnreplacedPlaceholderTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    EngineFailures failures;

    @InjectService(timeout = 10_000)
    EngineConfigurations configurations;

    @TempDir
    Path dir;

    Engines engines;

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void deleteConfigurations() throws Exception {
        engines.close();
    }

    @Test
    void aConfigurationWithAnUnreplacedPlaceholderIsFailedNamingItAndOpensNothing() throws Exception {
        engines.configure("notes", EngineProperties.PATH, dir + "/$[env:SQLITEENGINE_NOTES_FOLDER]/notes.db");

        EngineFailure failure = await().atMost(Engines.TIMEOUT)
                .until(() -> failures.get(EngineProperties.FACTORY_PID + "~notes").orElse(null), f -> f != null);

        assertThat(failure.message()).isEqualTo("[notes] path=$[env:SQLITEENGINE_NOTES_FOLDER] is invalid: a value, but the"
                + " placeholder was not replaced: no environment variable SQLITEENGINE_NOTES_FOLDER in the framework's process,"
                + " or no Config Admin interpolation plugin runs in the framework (write the value there, then update the"
                + " configuration)");
        assertThat(configurations.get("notes").orElseThrow().state()).isEqualTo(State.FAILED);
        assertThat(engines.registered("notes")).isZero();
        try (var created = Files.list(dir)) {
            assertThat(created).as("files made for the placeholder").isEmpty();
        }
    }
}
