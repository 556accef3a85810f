package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.ConnectionSetup;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.pool.ConnectionSetups;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;

/**
 * Issue 13, connection setup hooks: a hook sets up every new physical connection of an engine
 * (writer, readers, DataSource), in every pool generation; a hook that fails names itself and
 * never takes a serving engine down.
 */
class ConnectionSetupTest {

    @TempDir
    Path dir;

    private final SqliteEngineFactory factory = new SqliteEngineFactory(new EngineRegistry());
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    /** The example of docs/connection-setup.md: a {@code mirror(text)} SQL function on every connection. */
    static final ConnectionSetup MIRROR = (engine, connection, role) -> Function.create(connection, "mirror",
            new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    result(new StringBuilder(value_text(0)).reverse().toString());
                }
            });

    private Engine create(String name, List<? extends ConnectionSetup> setups, Object... keyValues) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of("name", name, "path",
                dir.resolve(name + ".db").toString()));
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        Engine engine = factory.create(properties, setups);
        engines.add(engine);
        return engine;
    }

    static String reverse(Connection c, String text) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT mirror('" + text + "')")) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void a_function_registered_by_a_hook_works_in_read_units_write_units_connect_and_the_data_source() throws Exception {
        Engine engine = create("functions", List.of(MIRROR));

        assertThat(engine.connections().<Object>read(c -> reverse(c, "abc"))).isEqualTo("cba");
        engine.connections().write(c -> {
            c.createStatement().execute("CREATE TABLE t(v TEXT)");
            c.createStatement().execute("INSERT INTO t VALUES (mirror('olleh'))");
            return null;
        });
        assertThat(engine.connections().<Object>read(c -> {
            try (ResultSet r = c.createStatement().executeQuery("SELECT v FROM t")) {
                r.next();
                return r.getString(1);
            }
        })).isEqualTo("hello");
        try (Connection c = engine.dataSource().getConnection()) {
            assertThat(reverse(c, "xyz")).isEqualTo("zyx");
        }
        try (Connection c = engine.connect()) {
            assertThat(reverse(c, "12")).isEqualTo("21");
        }
    }

    /** The example of docs/connection-setup.md, as it stands there (with the file in the test's folder). */
    @Test
    void the_readme_example() throws Exception {
        String path = dir.resolve("main.db").toString();
        ConnectionSetup mirror = (engine, connection, role) -> Function.create(connection, "mirror", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                result(new StringBuilder(value_text(0)).reverse().toString());
            }
        });
        try (Engine engine = factory.create(Map.of("name", "main", "path", path), List.of(mirror))) {
            String cba = engine.connections().read(c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT mirror('abc')")) {
                    r.next();
                    return r.getString(1);
                }
            });
            assertThat(cba).isEqualTo("cba");
        }
    }

    @Test
    void every_new_connection_of_every_pool_is_set_up_before_use_with_the_engine_name_and_its_role() throws Exception {
        List<ConnectionRole> roles = new CopyOnWriteArrayList<>();
        Set<String> names = ConcurrentHashMap.newKeySet();
        Set<Connection> seen = ConcurrentHashMap.newKeySet();
        ConnectionSetup recorder = (engine, connection, role) -> {
            names.add(engine);
            roles.add(role);
            seen.add(connection);
            assertThat(connection.getAutoCommit()).isTrue();
        };
        Engine engine = create("roles", List.of(recorder), "osgi.connection.min", 3);

        List<Connection> used = new ArrayList<>();
        used.add(engine.connections().write(c -> c.unwrap(org.sqlite.SQLiteConnection.class)));
        for (int i = 0; i < 3; i++) {
            used.add(engine.connections().read(c -> c.unwrap(org.sqlite.SQLiteConnection.class)));
        }
        try (Connection c = engine.dataSource().getConnection()) {
            used.add(c.unwrap(org.sqlite.SQLiteConnection.class));
        }

        assertThat(seen).containsAll(used);
        assertThat(names).containsExactly("roles");
        assertThat(roles).contains(ConnectionRole.WRITER, ConnectionRole.READER, ConnectionRole.DATA_SOURCE)
                .containsOnlyOnce(ConnectionRole.WRITER);
    }

    @Test
    void hooks_run_in_list_order_on_each_connection() {
        List<String> order = new CopyOnWriteArrayList<>();
        Engine engine = create("order", List.of((e, c, role) -> order.add("first " + role),
                (e, c, role) -> order.add("second " + role)));

        assertThat(engine.connections().<Object>read(c -> 1)).isEqualTo(1);

        assertThat(order).startsWith("first WRITER", "second WRITER", "first READER", "second READER");
    }

    @Test
    void connections_of_a_new_generation_after_a_live_reconfiguration_are_set_up_too() throws Exception {
        Engine engine = create("reconfigured", List.of(MIRROR));
        SqliteEngine sqlite = (SqliteEngine) engine;

        // a pragma needs new connections: a new pool generation
        assertThat(sqlite.reconfigure(EngineSettings.parse(Map.of("name", "reconfigured", "path",
                dir.resolve("reconfigured.db").toString(), "pragma.cache_size", -2000), null, null))).isTrue();

        assertThat(engine.connections().<Object>read(c -> SqliteEngineTest.pragma(c, "cache_size"))).isEqualTo("-2000");
        assertThat(engine.connections().<Object>read(c -> reverse(c, "ab"))).isEqualTo("ba");
        assertThat(engine.connections().<Object>write(c -> reverse(c, "cd"))).isEqualTo("dc");
        try (Connection c = engine.dataSource().getConnection()) {
            assertThat(reverse(c, "ef")).isEqualTo("fe");
        }
    }

    @Test
    void a_hook_that_throws_fails_the_open_naming_the_hook_and_leaves_nothing_open() {
        ConnectionSetup broken = new Broken();

        assertThatThrownBy(() -> create("broken", List.of(MIRROR, broken)))
                .isInstanceOf(ConnectionException.class)
                .hasMessageStartingWith("[broken] ")
                .hasMessageContaining("connection setup hook #2 " + Broken.class.getName())
                .hasMessageContaining("on a new writer connection")
                .hasMessageContaining("no functions today");

        // the name and the file were given back
        assertThat(create("broken", List.of(MIRROR)).connections().<Object>read(c -> reverse(c, "ok"))).isEqualTo("ko");
    }

    @Test
    void a_hook_that_fails_later_fails_only_that_connection_with_its_failure_as_the_cause_and_an_error_event()
            throws Exception {
        AtomicBoolean refuse = new AtomicBoolean();
        ConnectionSetup moody = (engine, connection, role) -> {
            if (refuse.get() && role == ConnectionRole.DATA_SOURCE) {
                throw new SQLException("not today");
            }
        };
        Engine engine = create("moody", List.of(moody), "osgi.connection.timeout", 250);
        List<dev.sqliteengine.api.EngineEvent> errors = new CopyOnWriteArrayList<>();
        engine.addListener(new dev.sqliteengine.api.EngineListener() {
            @Override
            public void failed(dev.sqliteengine.api.EngineEvent event) {
                errors.add(event);
            }
        });
        refuse.set(true);

        // the data source pool has no connection yet (its minimum is 0): it must open one
        assertThatThrownBy(() -> engine.dataSource().getConnection().close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(m -> m.contains("connection setup hook #1")
                        && m.contains("on a new data source connection") && m.contains("not today")));
        assertThat(errors).anyMatch(e -> e.message().contains("not today"));
        assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        assertThat(engine.connections().<Object>read(c -> 1)).isEqualTo(1);
    }

    private static List<String> causes(Throwable e) {
        List<String> out = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.add(String.valueOf(t.getMessage()));
        }
        return out;
    }

    @Test
    void a_hook_that_leaves_a_transaction_open_is_refused() {
        ConnectionSetup begins = (engine, connection, role) -> connection.createStatement().execute("BEGIN");

        assertThatThrownBy(() -> create("begins", List.of(begins)))
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("must not begin transactions");
    }

    @Test
    void hooks_that_change_switch_the_engine_to_a_new_generation_and_a_failing_one_leaves_it_serving() throws Exception {
        AtomicReference<ConnectionSetups> registered = new AtomicReference<>(ConnectionSetups.NONE);
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path",
                dir.resolve("live.db").toString()), "live", null), new EngineRegistry(), List.of(),
                name -> registered.get());
        engines.add(engine);
        assertThatThrownBy(() -> engine.connections().read(c -> reverse(c, "a"))).hasMessageContaining("no such function");

        registered.set(ConnectionSetups.of(List.of(new ConnectionSetups.Hook("reverse", MIRROR))));
        assertThat(engine.refreshConnectionSetups()).isTrue();
        assertThat(engine.connections().<Object>read(c -> reverse(c, "on"))).isEqualTo("no");
        assertThat(engine.refreshConnectionSetups()).as("nothing changed").isFalse();

        // a hook that fails: the engine keeps its connections and hooks, and says why
        registered.set(ConnectionSetups.of(List.of(new ConnectionSetups.Hook("reverse", MIRROR),
                new ConnectionSetups.Hook("the broken one", new Broken()))));
        assertThat(engine.refreshConnectionSetups()).isFalse();
        assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        assertThat(engine.status().lastRejection()).hasValueSatisfying(why -> assertThat(why)
                .contains("connection setup hook the broken one").contains("no functions today"));
        assertThat(engine.connections().<Object>read(c -> reverse(c, "still"))).isEqualTo("llits");

        // the hooks leave: new work runs without the function
        registered.set(ConnectionSetups.NONE);
        assertThat(engine.refreshConnectionSetups()).isTrue();
        assertThat(engine.status().lastRejection()).isEmpty();
        assertThatThrownBy(() -> engine.connections().read(c -> reverse(c, "a"))).hasMessageContaining("no such function");
        try (Connection c = engine.dataSource().getConnection()) {
            assertThatThrownBy(() -> reverse(c, "a")).hasMessageContaining("no such function");
        }
    }

    /**
     * While hooks come and go, units on many threads never fail for any other reason than the
     * function being absent, and once a switch returned, new work sees the new hooks.
     */
    @Test
    void units_on_many_threads_see_one_consistent_set_of_hooks_while_they_change() throws Exception {
        AtomicReference<ConnectionSetups> registered = new AtomicReference<>(ConnectionSetups.NONE);
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path",
                dir.resolve("churn.db").toString(), "drainTimeout", 60_000), "churn", null), new EngineRegistry(),
                List.of(), name -> registered.get());
        engines.add(engine);
        ConnectionSetups with = ConnectionSetups.of(List.of(new ConnectionSetups.Hook("reverse", MIRROR)));
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            boolean write = t % 4 == 0;
            workers.add(threads.submit(() -> {
                int units = 0;
                while (running.get() || units < 20) {
                    // either answer is fine; any other failure fails the test
                    Boolean has = write ? engine.connections().write(ConnectionSetupTest::hasMirror)
                            : engine.connections().read(ConnectionSetupTest::hasMirror);
                    assertThat(has).isNotNull();
                    units++;
                }
                return units;
            }));
        }
        for (int i = 0; i < 20; i++) {
            registered.set(i % 2 == 0 ? with : ConnectionSetups.NONE);
            engine.refreshConnectionSetups();
            boolean expected = i % 2 == 0;
            assertThat(engine.connections().<Object>read(ConnectionSetupTest::hasMirror)).isEqualTo(expected);
        }
        running.set(false);
        for (Future<Integer> worker : workers) {
            assertThat(worker.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(20);
        }
        threads.shutdown();
    }

    static boolean hasMirror(Connection c) throws SQLException {
        try {
            return "a".equals(reverse(c, "a"));
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such function")) {
                return false;
            }
            throw e;
        }
    }

    static final class Broken implements ConnectionSetup {
        @Override
        public void setup(String engine, Connection connection, ConnectionRole role) throws SQLException {
            throw new SQLException("no functions today");
        }
    }
}
