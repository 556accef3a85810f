package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The Felix Health Check API is optional: this run (test.bndrun) has neither the Felix Health
 * Check bundles nor the healthcheck bundle, and engines still report their health through the API
 * and {@code engine:info}.
 */
class HealthWithoutFelixHealthChecksTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    @TempDir
    Path dir;

    Engines engines;

    @AfterEach
    void release() throws Exception {
        engines.close();
    }

    @Test
    void engines_report_their_health_without_the_felix_health_check_bundles() throws Exception {
        assertThat(Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName))
                .noneMatch(bsn -> bsn.startsWith("org.apache.felix.healthcheck") || bsn.equals("dev.sqliteengine.healthcheck"));
        Bundle impl = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("dev.sqliteengine.impl")).findFirst().orElseThrow();
        assertThat(impl.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(impl.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package"))
                .noneMatch(w -> String.valueOf(w.getCapability().getAttributes().get("osgi.wiring.package"))
                        .startsWith("org.apache.felix.hc"));

        engines = new Engines(context, admin);
        engines.configure("healthy", EngineProperties.PATH, dir.resolve("healthy.db").toString());
        Engine engine = engines.service(Engine.class, "healthy");
        assertThat(engine.health().status()).isEqualTo(EngineHealth.Status.OK);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            session.execute("engine:info healthy");
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).containsPattern("Health \\.+ OK")
                .containsPattern("quick_check +OK +not run on this file yet");
    }
}
