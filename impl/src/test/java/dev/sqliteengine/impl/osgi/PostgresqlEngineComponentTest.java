package dev.sqliteengine.impl.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFailure;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.engine.CapturedLog;
import dev.sqliteengine.impl.engine.SqliteEngineFactory;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The component of a {@code type=postgresql} configuration, driven as SCR drives it: an engine
 * whose server is down is not registered, its failure is reported, and it opens and registers by
 * itself once the server is up, logging one WARN however long that takes; a change of
 * {@code type} replaces the engine and its services, or, when the new one cannot open, puts the
 * previous one back. Outside OSGi, {@code EngineFactory.create} on a server that is down throws
 * at once: the caller decides whether to try again.
 */
@ExtendWith(PostgresExtension.class)
class PostgresqlEngineComponentTest {

    private static final String PID = EngineProperties.FACTORY_PID + "~orders";

    @TempDir
    Path dir;

    /** The engines registered now, by the fake framework below. */
    private final List<Engine> registered = new CopyOnWriteArrayList<>();
    private final BundleContext context = context();
    private final EngineHost host = new EngineHost(context);

    @AfterEach
    void stopTheHost() {
        host.deactivate();
    }

    private static Map<String, Object> postgresql(PostgresDatabase database, Object... more) {
        Map<String, Object> config = new HashMap<>(Map.of("service.pid", PID, "type", "postgresql",
                "url", database.jdbcUrl(), "user", database.user(), "password", database.password()));
        for (int i = 0; i < more.length; i += 2) {
            config.put((String) more[i], more[i + 1]);
        }
        return config;
    }

    private EngineComponent component(Map<String, Object> config) {
        return new EngineComponent(context, host, new ListenerWhiteboard(), new ConnectionSetupWhiteboard(), config);
    }

    @Test
    void anEngineWhoseServerIsDownOpensByItselfWhenTheServerComesUpAndLogsOneWarning(PostgresPrimary primary) {
        PostgresDatabase database = primary.createDatabase("later");
        primary.stop();
        EngineComponent[] component = new EngineComponent[1];
        try {
            String log = CapturedLog.during(() -> {
                component[0] = component(postgresql(database));
                assertThat(registered).isEmpty();
                EngineFailure first = host.failures().get(PID).orElseThrow();
                assertThat(first.message()).startsWith("[orders] opening " + database.jdbcUrl() + " failed (SQLSTATE 08");
                // two more attempts (after 1 s, then 2 s) fail too, each recorded
                await().atMost(Duration.ofSeconds(30)).until(() -> host.failures().get(PID)
                        .filter(f -> f.timestamp() >= first.timestamp() + 2_500).isPresent());
                primary.start();
                await().atMost(Duration.ofMinutes(1)).until(() -> registered.size() == 1);
            });

            assertThat(Pattern.compile("WARN .*no engine registered yet, its database cannot be reached").matcher(log)
                    .results().count()).as("one WARN, however many attempts").isEqualTo(1);
            assertThat(log).contains("[orders] the database can be reached again: engine open after").doesNotContain("ERROR");
            assertThat(host.failures().get(PID)).isEmpty();
            registered.get(0).connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id int)"));
        } finally {
            if (component[0] != null) {
                component[0].deactivate();
            }
        }
        assertThat(registered).isEmpty();
    }

    @Test
    void aChangeOfTypeReplacesTheEngineAndItsServices(PostgresDatabase database) {
        EngineComponent component = component(new HashMap<>(Map.of("service.pid", PID,
                "path", dir.resolve("orders.db").toString())));
        try {
            Engine sqlite = registered.get(0);
            assertThat(sqlite.status().settings()).containsEntry("type", "sqlite");

            String log = CapturedLog.during(() -> component.modified(postgresql(database,
                    "path", dir.resolve("orders.db").toString())));

            assertThat(registered).singleElement().isNotSameAs(sqlite);
            assertThat(registered.get(0).status().settings()).containsEntry("type", "postgresql");
            assertThat(sqlite.status().state()).isEqualTo(EngineState.CLOSED);
            assertThat(log).contains("[orders] type=postgresql ignores path: a property of another database type");
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aChangeOfTypeThatCannotOpenPutsThePreviousSettingsBack() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EngineComponent component = component(new HashMap<>(Map.of("service.pid", PID,
                "path", dir.resolve("orders.db").toString())));
        try {
            component.modified(new HashMap<>(Map.of("service.pid", PID, "type", "postgresql",
                    "url", "jdbc:postgresql://127.0.0.1:" + port + "/orders", "user", "app", "password", "pw")));

            assertThat(registered).singleElement().satisfies(engine -> {
                assertThat(engine.status().settings()).containsEntry("type", "sqlite");
                assertThat(engine.status().lastRejection()).hasValueSatisfying(
                        r -> assertThat(r).contains("SQLSTATE 08001"));
            });
        } finally {
            component.deactivate();
        }
    }

    @Test
    void outsideOsgiCreateOnAServerThatIsDownThrowsAtOnce(PostgresPrimary primary) {
        PostgresDatabase database = primary.createDatabase("direct");
        primary.stop();
        Map<String, Object> config = postgresql(database, "name", "direct");
        config.remove("service.pid");

        ConnectionException e = catchThrowableOfType(() -> new SqliteEngineFactory().create(config),
                ConnectionException.class);

        assertThat(e.sqlState()).hasValueSatisfying(state -> assertThat(state).startsWith("08"));
    }

    /** Enough of a bundle context for the component: no framework properties, services recorded until unregistered. */
    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        Object service = args[1];
                        if (service instanceof Engine engine) {
                            registered.add(engine);
                        }
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        registered.remove(service);
                                    }
                                    return null;
                                });
                    }
                    return null; // getProperty, getDataFile: none
                });
    }
}
