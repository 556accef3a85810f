package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.ConnectionSetup;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFailures;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.itests.support.Engines;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.sqlite.Function;

/**
 * Issue 13, connection setup hooks as OSGi services: a {@link ConnectionSetup} registered by
 * another bundle (here: the test bundle) sets up every new connection of the engines it
 * concerns, the writer, the readers and the DataSource's, across live reconfigurations; when it
 * leaves, new work runs without it; when it fails, the engine keeps serving and says why.
 */
class ConnectionSetupServiceTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    EngineFailures failures;

    @TempDir
    Path dir;

    Engines engines;
    final List<ServiceRegistration<ConnectionSetup>> registrations = new ArrayList<>();

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ServiceRegistration<ConnectionSetup> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // the test unregistered it itself
            }
        }
        engines.close();
    }

    /** Registers {@code mirror(text)}, which reverses its argument, and keeps the connections it saw. */
    static final class Mirror implements ConnectionSetup {

        final Set<Connection> connections = ConcurrentHashMap.newKeySet();
        final Set<ConnectionRole> roles = ConcurrentHashMap.newKeySet();

        @Override
        public void setup(String engine, Connection connection, ConnectionRole role) throws SQLException {
            Function.create(connection, "mirror", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(new StringBuilder(value_text(0)).reverse().toString());
                }
            });
            connections.add(connection);
            roles.add(role);
        }
    }

    ServiceRegistration<ConnectionSetup> register(ConnectionSetup hook, Object... keyValues) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        ServiceRegistration<ConnectionSetup> registration = context.registerService(ConnectionSetup.class, hook,
                properties);
        registrations.add(registration);
        return registration;
    }

    Configuration engine(String name) throws Exception {
        return engines.configure(name, EngineProperties.PATH, dir.resolve(name + ".db").toString());
    }

    static String mirror(Connection c, String text) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT mirror('" + text + "')")) {
            r.next();
            return r.getString(1);
        }
    }

    /** @return whether read units, write units and the DataSource all have mirror(), or all lack it */
    boolean everywhere(String engine, boolean present) throws SQLException {
        ConnectionManager units = engines.service(ConnectionManager.class, engine);
        boolean read = has(() -> units.read(c -> mirror(c, "ab")));
        boolean write = has(() -> units.write(c -> mirror(c, "ab")));
        boolean dataSource;
        try (Connection c = engines.service(DataSource.class, engine).getConnection()) {
            dataSource = has(() -> mirror(c, "ab"));
        }
        return read == present && write == present && dataSource == present;
    }

    interface Call {
        String run() throws SQLException;
    }

    static boolean has(Call call) throws SQLException {
        try {
            return "ba".equals(call.run());
        } catch (SQLException | RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("no such function")) {
                return false;
            }
            throw e;
        }
    }

    /** Real connections the engine uses now, as the driver sees them. */
    List<Connection> inUse(String engine) throws SQLException {
        ConnectionManager units = engines.service(ConnectionManager.class, engine);
        List<Connection> out = new ArrayList<>();
        out.add(units.write(c -> c.unwrap(org.sqlite.SQLiteConnection.class)));
        out.add(units.read(c -> c.unwrap(org.sqlite.SQLiteConnection.class)));
        try (Connection c = engines.service(DataSource.class, engine).getConnection()) {
            out.add(c.unwrap(org.sqlite.SQLiteConnection.class));
        }
        return out;
    }

    @Test
    void a_hook_registered_before_the_engine_starts_sets_up_its_first_connections() throws Exception {
        Mirror hook = new Mirror();
        register(hook);

        engine("a");

        assertThat(everywhere("a", true)).isTrue();
        assertThat(hook.roles).containsOnly(ConnectionRole.WRITER, ConnectionRole.READER, ConnectionRole.DATA_SOURCE);
        assertThat(hook.connections).containsAll(inUse("a"));
    }

    @Test
    void a_hook_that_appears_later_applies_to_new_work_and_survives_a_live_reconfiguration() throws Exception {
        Configuration configuration = engine("a");
        Engine engine = engines.service(Engine.class, "a");
        assertThat(everywhere("a", false)).isTrue();

        Mirror hook = new Mirror();
        register(hook);
        await().atMost(Engines.TIMEOUT).until(() -> everywhere("a", true));
        assertThat(hook.connections).containsAll(inUse("a"));

        // a pragma needs new connections: the next generation is set up too
        engines.update(configuration, "pragma.cache_size", -2000);
        await().atMost(Engines.TIMEOUT).until(() -> "-2000".equals(Engines.pragma(engine.connections(), "cache_size")));
        assertThat(everywhere("a", true)).isTrue();
        assertThat(hook.connections).containsAll(inUse("a"));
        assertThat(engines.service(Engine.class, "a")).isSameAs(engine);
    }

    @Test
    void when_the_hook_leaves_new_work_runs_without_it() throws Exception {
        ServiceRegistration<ConnectionSetup> registration = register(new Mirror());
        engine("a");
        assertThat(everywhere("a", true)).isTrue();

        registration.unregister();

        await().atMost(Engines.TIMEOUT).until(() -> everywhere("a", false));
        assertThat(engines.service(Engine.class, "a").status().state()).isEqualTo(EngineState.RUNNING);
    }

    @Test
    void with_engine_name_it_sets_up_that_engine_only() throws Exception {
        register(new Mirror(), EngineProperties.ENGINE_NAME, "b");
        engine("a");
        engine("b");

        assertThat(everywhere("b", true)).isTrue();
        assertThat(everywhere("a", false)).isTrue();
    }

    @Test
    void hooks_run_by_service_ranking_highest_first() throws Exception {
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        register((engine, c, role) -> order.add("low " + role), Constants.SERVICE_RANKING, -5);
        register((engine, c, role) -> order.add("high " + role), Constants.SERVICE_RANKING, 10);
        register((engine, c, role) -> order.add("default " + role));
        register((engine, c, role) -> order.add("high too " + role), Constants.SERVICE_RANKING, 10);

        engine("a");
        engines.service(Engine.class, "a");

        // equal rankings: the service registered first goes first
        assertThat(order).startsWith("high WRITER", "high too WRITER", "default WRITER", "low WRITER");
    }

    @Test
    void a_hook_that_throws_when_it_appears_leaves_the_engine_serving_and_is_recorded_as_a_rejection()
            throws Exception {
        register(new Mirror());
        engine("a");
        Engine engine = engines.service(Engine.class, "a");
        engines.service(ConnectionManager.class, "a").write(c -> c.createStatement().execute("CREATE TABLE t(v)"));

        register(new Refusing(), EngineProperties.ENGINE_NAME, "a");

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(engine.status().lastRejection())
                .hasValueSatisfying(why -> assertThat(why).startsWith("[a] ")
                        .contains("connection setup hook " + Refusing.class.getName())
                        .contains("refused on purpose")));
        assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        assertThat(everywhere("a", true)).isTrue();
        engines.service(ConnectionManager.class, "a").write(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        assertThat(Engines.count(engine.connections(), "t")).isEqualTo(1);
    }

    @Test
    void an_engine_that_starts_while_a_failing_hook_is_registered_fails_to_open_naming_the_hook() throws Exception {
        register(new Refusing(), EngineProperties.ENGINE_NAME, "a");
        Configuration configuration = engine("a");

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(failures.get(configuration.getPid()))
                .hasValueSatisfying(failure -> assertThat(failure.message()).startsWith("[a] ")
                        .contains("connection setup hook " + Refusing.class.getName())
                        .contains("refused on purpose")));
        assertThat(context.getServiceReferences(Engine.class, Engines.filter(EngineProperties.ENGINE_NAME, "a")))
                .isEmpty();
    }

    static final class Refusing implements ConnectionSetup {
        @Override
        public void setup(String engine, Connection connection, ConnectionRole role) throws SQLException {
            throw new SQLException("refused on purpose");
        }
    }
}
