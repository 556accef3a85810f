package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Bundles;
import dev.sqliteengine.itests.support.Engines;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Every engine is an MXBean in the platform MBean server, {@code dev.sqliteengine:type=Engine,name=<engine>},
 * under the same name across reconfigurations, pool switches and updates of the impl bundle, and
 * gone once the engine closes.
 */
class EngineMBeanTest {

    private static final String IMPL = "dev.sqliteengine.impl";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    EngineFactory factory;

    @TempDir
    Path dir;

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private Engines engines;

    @BeforeEach
    void setUp() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void tearDown() throws Exception {
        engines.close();
    }

    private static ObjectName mbean(String engine) throws Exception {
        return new ObjectName("dev.sqliteengine:type=Engine,name=" + engine);
    }

    private Set<ObjectName> engineMBeans() throws Exception {
        return server.queryNames(new ObjectName("dev.sqliteengine:type=Engine,*"), null);
    }

    private long attribute(ObjectName name, String attribute) throws Exception {
        return ((Number) server.getAttribute(name, attribute)).longValue();
    }

    @Test
    void keeps_its_name_across_a_pool_switch_and_an_impl_update_and_is_gone_when_the_engine_closes() throws Exception {
        Configuration configuration = engines.configure("watched", EngineProperties.PATH, dir.resolve("w.db").toString());
        ConnectionManager manager = engines.service(ConnectionManager.class, "watched");
        manager.execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
        ObjectName name = mbean("watched");
        await().atMost(Engines.TIMEOUT).until(() -> server.isRegistered(name));
        assertThat(server.getAttribute(name, "State")).isEqualTo("RUNNING");
        assertThat(attribute(name, "Commits")).isEqualTo(1);

        // A pragma change needs new connections: a new pool generation behind the same engine
        engines.update(configuration, "pragma.synchronous", "FULL");
        await().atMost(Engines.TIMEOUT).until(() -> attribute(name, "Reconfigurations") == 1);
        manager.execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        assertThat(engineMBeans()).containsExactly(name);
        assertThat(server.queryNames(new ObjectName("com.zaxxer.hikari:*"), null)).as("HikariCP's own MBeans are off")
                .isEmpty();
        assertThat(attribute(name, "Commits")).as("the same engine, its counts go on").isEqualTo(2);
        CompositeData writes = (CompositeData) server.getAttribute(name, "WriteUnits");
        assertThat(writes.get("count")).isEqualTo(2L);

        // An update of the impl bundle closes the engine and opens it again from its configuration
        Bundle impl = Bundles.named(context, IMPL);
        try (InputStream jar = Bundles.jar(impl)) {
            impl.update(jar);
        }
        ConnectionManager reopened = engines.service(ConnectionManager.class, "watched");
        reopened.execute(c -> c.createStatement().execute("INSERT INTO t VALUES (2)"));
        await().atMost(Engines.TIMEOUT).until(() -> server.isRegistered(name) && attribute(name, "Commits") == 1);
        assertThat(engineMBeans()).containsExactly(name);
        assertThat(server.getAttribute(name, "State")).isEqualTo("RUNNING");

        configuration.delete();
        engines.awaitGone("watched");
        assertThat(server.isRegistered(name)).isFalse();
        assertThat(engineMBeans()).isEmpty();
    }

    @Test
    void two_engines_have_two_mbeans_and_an_engine_from_the_factory_service_has_one_until_it_closes() throws Exception {
        engines.configure("left", EngineProperties.PATH, dir.resolve("l.db").toString());
        engines.service(Engine.class, "left");
        try (Engine right = factory.create(Map.of("name", "right", "path", dir.resolve("r.db").toString()))) {
            assertThat(engineMBeans()).containsExactlyInAnyOrder(mbean("left"), mbean("right"));
            assertThat(server.getAttribute(mbean("right"), "Path")).isEqualTo(right.status().path());
            assertThat(server.invoke(mbean("right"), "checkpoint", new Object[] {"PASSIVE"},
                    new String[] {String.class.getName()})).asString().startsWith("PASSIVE completed");
        }
        assertThat(engineMBeans()).containsExactly(mbean("left"));
    }
}
