package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineFailure;
import dev.sqliteengine.api.EngineFailures;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Bundles;
import dev.sqliteengine.itests.support.Engines;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A SQLite-only framework: this run has no pgjdbc bundle (the impl bundle imports it optionally),
 * and the engines run as ever. An engine of {@code type=postgresql} is then refused, naming the
 * bundle to install, whichever way its configuration arrives.
 */
class WithoutPgjdbcTest {

    private static final String PGJDBC = "org.postgresql.jdbc";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    EngineConfigurations configurations;

    @InjectService(timeout = 10_000)
    EngineFailures failures;

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
    void theImplBundleIsActiveWithItsPgjdbcImportsOptionalAndUnwired() {
        assertThat(context.getBundles()).extracting(Bundle::getSymbolicName).doesNotContain(PGJDBC);
        Bundle impl = Bundles.named(context, "dev.sqliteengine.impl");
        assertThat(impl.getState()).isEqualTo(Bundle.ACTIVE);
        BundleWiring wiring = impl.adapt(BundleWiring.class);
        // declared: the wiring leaves out an optional import that nothing could satisfy
        List<BundleRequirement> pgjdbcImports = impl.adapt(BundleRevision.class)
                .getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .filter(r -> r.getDirectives().getOrDefault(PackageNamespace.REQUIREMENT_FILTER_DIRECTIVE, "")
                        .contains("org.postgresql"))
                .toList();

        assertThat(pgjdbcImports).isNotEmpty().allSatisfy(r -> assertThat(r.getDirectives())
                .containsEntry(PackageNamespace.REQUIREMENT_RESOLUTION_DIRECTIVE, PackageNamespace.RESOLUTION_OPTIONAL));
        assertThat(wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE))
                .noneMatch(w -> String.valueOf(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))
                        .startsWith("org.postgresql"));
    }

    @Test
    void aPostgresqlConfigurationIsRefusedNamingTheBundleWhileSqliteEnginesServe() throws Exception {
        engines.configure("notes", EngineProperties.PATH, dir.resolve("notes.db").toString());
        engines.configure("orders", EngineProperties.TYPE, "postgresql",
                EngineProperties.URL, "jdbc:postgresql://127.0.0.1:5432/orders", EngineProperties.USER, "orders",
                EngineProperties.PASSWORD, "never-shown-1");

        ConnectionManager notes = engines.service(ConnectionManager.class, "notes");
        assertThat(Engines.single(notes, "SELECT 42")).isEqualTo(42);
        EngineConfiguration orders = await().atMost(Engines.TIMEOUT)
                .until(() -> configurations.get("orders").orElseThrow(), c -> c.state() != State.WAITING);
        assertThat(orders.state()).isEqualTo(State.REJECTED);
        assertThat(orders.rejection()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("[orders] type=postgresql is invalid: an engine of type=postgresql needs pgjdbc")
                .contains("install the bundle " + PGJDBC + " and refresh the bundle dev.sqliteengine.impl")
                .doesNotContain("never-shown-1"));
        // validation says REJECTED at once; the engine's component records its failure when the configuration reaches it
        EngineFailure failure = await().atMost(Engines.TIMEOUT)
                .until(() -> failures.get(EngineProperties.FACTORY_PID + "~orders").orElse(null), f -> f != null);
        assertThat(failure.message()).contains(PGJDBC).doesNotContain("never-shown-1");
        assertThat(engines.registered("orders")).isZero();
    }

    @Test
    void creatingOneThroughEngineConfigurationsIsRefusedBeforeAnythingIsStored() throws Exception {
        ConfigurationException refused = catchThrowableOfType(ConfigurationException.class,
                () -> configurations.create("orders", Map.of(EngineProperties.TYPE, "postgresql",
                        EngineProperties.URL, "jdbc:postgresql://127.0.0.1:5432/orders")));

        assertThat(refused.property()).isEqualTo(EngineProperties.TYPE);
        assertThat(refused.getMessage()).contains("install the bundle " + PGJDBC);
        assertThat(admin.listConfigurations("(service.pid=" + EngineProperties.FACTORY_PID + "~orders)")).isNull();
        assertThat(Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName)).doesNotContain(PGJDBC);
    }
}
