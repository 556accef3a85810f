package dev.sqliteengine.itests;

import static dev.sqliteengine.itests.support.Engines.count;
import static dev.sqliteengine.itests.support.Engines.filter;
import static dev.sqliteengine.itests.support.Engines.pragma;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.itests.support.Engines;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.sqlite.SQLiteDataSource;

/** An engine's life in the framework, driven by its Config Admin factory configuration. */
class EngineServicesTest {

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
    void deleteConfigurations() throws Exception {
        engines.close();
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    @Nested
    class AFactoryConfiguration {

        @Test
        void registers_engine_connection_manager_and_data_source_named_after_the_configuration() throws Exception {
            engines.configure("orders", EngineProperties.PATH, file("orders.db"));

            for (String key : List.of(EngineProperties.ENGINE_NAME, EngineProperties.DATA_SOURCE_NAME,
                    EngineProperties.JNDI_SERVICE_NAME)) {
                String byName = filter(key, "orders");
                for (Class<?> type : List.of(Engine.class, ConnectionManager.class, DataSource.class)) {
                    ServiceReference<?> reference = engines.referenceMatching(type, byName);
                    assertThat(org.osgi.framework.FrameworkUtil.asMap(reference.getProperties()))
                            .as("%s %s", type.getSimpleName(), byName)
                            .containsEntry(EngineProperties.ENGINE_NAME, "orders")
                            .containsEntry(EngineProperties.DATA_SOURCE_NAME, "orders")
                            .containsEntry(EngineProperties.JNDI_SERVICE_NAME, "orders");
                }
            }
            assertThat(engines.service(Engine.class, "orders").name()).isEqualTo("orders");
        }

        @Test
        void takes_its_name_from_the_name_property_over_the_pid() throws Exception {
            engines.configure("pidName", EngineProperties.PATH, file("named.db"), EngineProperties.NAME, "billing");

            assertThat(engines.service(Engine.class, "billing").name()).isEqualTo("billing");
            assertThat(engines.registered("pidName")).isZero();
        }

        @Test
        void runs_sql_through_each_of_the_three_services() throws Exception {
            engines.configure("orders", EngineProperties.PATH, file("orders.db"));
            ConnectionManager manager = engines.service(ConnectionManager.class, "orders");
            DataSource dataSource = engines.service(DataSource.class, "orders");
            Engine engine = engines.service(Engine.class, "orders");

            manager.execute(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
                    s.executeUpdate("INSERT INTO item(name) VALUES ('apple'), ('pear')");
                }
            });
            assertThat(count(manager, "item")).isEqualTo(2);

            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO item(name) VALUES ('plum')");
                assertThat(count(c, "item")).isEqualTo(3);
            }
            try (Connection c = engine.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO item(name) VALUES ('fig')");
                assertThat(count(c, "item")).isEqualTo(4);
            }
            assertThat(Engines.single(manager, "SELECT group_concat(name, ',') FROM item"))
                    .isEqualTo("apple,pear,plum,fig");
        }

        @Test
        void a_second_engine_on_another_file_keeps_its_data_apart() throws Exception {
            engines.configure("left", EngineProperties.PATH, file("left.db"));
            engines.configure("right", EngineProperties.PATH, file("right.db"));
            ConnectionManager left = engines.service(ConnectionManager.class, "left");
            ConnectionManager right = engines.service(ConnectionManager.class, "right");

            left.execute(c -> c.createStatement().executeUpdate("CREATE TABLE t(v TEXT)"));
            right.execute(c -> c.createStatement().executeUpdate("CREATE TABLE t(v TEXT)"));
            left.execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('l1'), ('l2')"));
            right.execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('r1')"));

            assertThat(count(left, "t")).isEqualTo(2);
            assertThat(count(right, "t")).isEqualTo(1);
            assertThat(Engines.single(right, "SELECT v FROM t")).isEqualTo("r1");
            assertThat(engines.service(Engine.class, "left").status().path()).endsWith("left.db");
            assertThat(engines.service(Engine.class, "right").status().path()).endsWith("right.db");
        }
    }

    @Nested
    class ABadConfiguration {

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource({
            "pragma.journal_mode, BOGUS",
            "pragma.nope, 1",
            "osgi.connection.max, -1",
        })
        void registers_nothing_while_a_good_one_beside_it_works(String key, String value) throws Exception {
            engines.configure("broken", EngineProperties.PATH, file("broken.db"), key, value);
            engines.configure("fine", EngineProperties.PATH, file("fine.db"));

            // CM hands configurations to SCR one after the other: once "fine" is up, "broken" was seen.
            ConnectionManager fine = engines.service(ConnectionManager.class, "fine");
            assertThat(Engines.single(fine, "SELECT 40 + 2")).isEqualTo(42);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> engines.registered("broken") == 0);
        }
    }

    @Nested
    class DeletingTheConfiguration {

        @Test
        void unregisters_the_services_closes_the_engine_and_releases_the_file() throws Exception {
            Configuration configuration = engines.configure("gone", EngineProperties.PATH, file("gone.db"));
            Engine engine = engines.service(Engine.class, "gone");
            engine.connections().execute(c -> {
                c.createStatement().executeUpdate("CREATE TABLE kept(v INTEGER)");
                c.createStatement().executeUpdate("INSERT INTO kept VALUES (1), (2), (3)");
            });
            try (Connection held = engine.dataSource().getConnection()) {
                assertThat(count(held, "kept")).isEqualTo(3); // the data source pool has a connection open too
            }

            configuration.delete();
            engines.awaitGone("gone");

            assertThat(engine.status().state()).isEqualTo(EngineState.CLOSED);
            SQLiteDataSource plain = new SQLiteDataSource();
            plain.setUrl("jdbc:sqlite:" + file("gone.db"));
            try (Connection c = plain.getConnection(); Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=0");
                s.execute("PRAGMA locking_mode=EXCLUSIVE");
                s.execute("BEGIN EXCLUSIVE");
                s.executeUpdate("INSERT INTO kept VALUES (4)");
                s.execute("COMMIT");
                assertThat(count(c, "kept")).isEqualTo(4);
            }
        }
    }

    @Nested
    class AnInMemoryEngine {

        @Test
        void keeps_its_rows_while_connections_come_and_go() throws Exception {
            engines.configure("scratch", EngineProperties.PATH, EngineProperties.MEMORY_PATH,
                    EngineProperties.CONNECTION_MIN, 0, EngineProperties.CONNECTION_MAX, 4);
            Engine engine = engines.service(Engine.class, "scratch");
            engine.connections().execute(c -> {
                c.createStatement().executeUpdate("CREATE TABLE note(v TEXT)");
                c.createStatement().executeUpdate("INSERT INTO note VALUES ('a'), ('b'), ('c')");
            });

            List<Thread> threads = new ArrayList<>();
            List<Long> seen = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        for (int i = 0; i < 25; i++) {
                            seen.add(count(engine.connections(), "note"));
                            try (Connection c = engine.dataSource().getConnection()) {
                                seen.add(count(c, "note"));
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "churn-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join(Engines.TIMEOUT.toMillis());
            }

            assertThat(failures).isEmpty();
            assertThat(seen).hasSize(8 * 25 * 2).containsOnly(3L);
            assertThat(count(engine.connections(), "note")).isEqualTo(3);
        }
    }

    @Nested
    class ALiveUpdate {

        @Test
        void changes_pragmas_on_new_connections_and_keeps_the_same_services() throws Exception {
            Configuration configuration = engines.configure("live", EngineProperties.PATH, file("live.db"));
            Map<Class<?>, Long> ids = Map.of(
                    Engine.class, serviceId(engines.reference(Engine.class, "live")),
                    ConnectionManager.class, serviceId(engines.reference(ConnectionManager.class, "live")),
                    DataSource.class, serviceId(engines.reference(DataSource.class, "live")));
            DataSource dataSource = engines.service(DataSource.class, "live");
            ConnectionManager manager = engines.service(ConnectionManager.class, "live");
            try (Connection c = dataSource.getConnection()) {
                assertThat(pragma(c, "cache_size")).isEqualTo("-64000");
                assertThat(pragma(c, "synchronous")).isEqualTo("1");
            }
            List<Integer> events = new CopyOnWriteArrayList<>();
            ServiceListener listener = event -> events.add(event.getType());
            context.addServiceListener(listener, filter(EngineProperties.ENGINE_NAME, "live"));
            try {
                engines.update(configuration, "pragma.cache_size", -2000, "pragma.synchronous", "FULL");

                await().atMost(Engines.TIMEOUT).untilAsserted(() -> {
                    try (Connection c = dataSource.getConnection()) {
                        assertThat(pragma(c, "cache_size")).isEqualTo("-2000");
                        assertThat(pragma(c, "synchronous")).isEqualTo("2");
                    }
                });
                assertThat(pragma(manager, "cache_size")).isEqualTo("-2000");
                assertThat(pragma(manager, "synchronous")).isEqualTo("2");
                ids.forEach((type, id) -> assertThat(serviceId(engines.reference(type, "live")))
                        .as(type.getSimpleName()).isEqualTo(id));
                assertThat(events).doesNotContain(ServiceEvent.UNREGISTERING);

                // the control: this listener does see the three services go when the engine goes
                configuration.delete();
                await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(events)
                        .filteredOn(type -> type == ServiceEvent.UNREGISTERING).hasSize(3));
            } finally {
                context.removeServiceListener(listener);
            }
        }

        private long serviceId(ServiceReference<?> reference) {
            return (Long) reference.getProperty(org.osgi.framework.Constants.SERVICE_ID);
        }
    }

    @Nested
    class EveryPooledConnection {

        private static final int HELD = 4;

        @Test
        void from_the_data_source_has_the_default_pragmas() throws Exception {
            engines.configure("tuned", EngineProperties.PATH, file("tuned.db"));
            DataSource dataSource = engines.service(DataSource.class, "tuned");

            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < HELD; i++) {
                    held.add(dataSource.getConnection());
                }
                assertThat(held).doesNotHaveDuplicates();
                for (Connection connection : held) {
                    assertDefaultPragmas(connection);
                }
            } finally {
                for (Connection connection : held) {
                    connection.close();
                }
            }
        }

        @Test
        void in_read_units_running_at_the_same_time_has_the_default_pragmas() throws Exception {
            engines.configure("tuned", EngineProperties.PATH, file("tuned.db"));
            ConnectionManager manager = engines.service(ConnectionManager.class, "tuned");
            CyclicBarrier together = new CyclicBarrier(HELD);
            List<Connection> seen = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();

            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < HELD; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        manager.read(c -> {
                            meet(together); // all units hold a connection now
                            seen.add(c);
                            assertDefaultPragmas(c);
                            meet(together);
                            return null;
                        });
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "reader-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join(Engines.TIMEOUT.toMillis());
            }

            assertThat(failures).isEmpty();
            assertThat(seen).hasSize(HELD).doesNotHaveDuplicates();
        }

        @Test
        void from_engine_connect_has_the_default_pragmas() throws Exception {
            engines.configure("tuned", EngineProperties.PATH, file("tuned.db"));
            Engine engine = engines.service(Engine.class, "tuned");

            try (Connection first = engine.connect(); Connection second = engine.connect()) {
                assertDefaultPragmas(first);
                assertDefaultPragmas(second);
            }
        }

        private void meet(CyclicBarrier barrier) {
            try {
                barrier.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the read units did not run at the same time", e);
            }
        }

        private void assertDefaultPragmas(Connection c) throws java.sql.SQLException {
            assertThat(pragma(c, "journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(pragma(c, "synchronous")).isEqualTo("1");
            assertThat(pragma(c, "cache_size")).isEqualTo("-64000");
            assertThat(pragma(c, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(c, "busy_timeout")).isEqualTo("5000");
            assertThat(pragma(c, "temp_store")).isEqualTo("2");
        }
    }

    @Nested
    class UnitsOfWork {

        ConnectionManager manager;

        @BeforeEach
        void engineWithATable() throws Exception {
            engines.configure("units", EngineProperties.PATH, file("units.db"));
            manager = engines.service(ConnectionManager.class, "units");
            manager.execute(c -> c.createStatement().executeUpdate("CREATE TABLE t(v INTEGER UNIQUE)"));
        }

        @Test
        void a_read_unit_that_writes_fails_with_an_engine_exception_and_changes_nothing() {
            assertThatThrownBy(() -> manager.read(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1)")))
                    .isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("[units] ");

            assertThat(count(manager, "t")).isZero();
        }

        @Test
        void a_write_unit_that_throws_is_rolled_back_and_its_exception_reaches_the_caller() {
            IllegalStateException boom = new IllegalStateException("boom");

            Throwable thrown = catchThrowable(() -> manager.execute(c -> {
                c.createStatement().executeUpdate("INSERT INTO t VALUES (1), (2)");
                throw boom;
            }));

            assertThat(thrown).satisfiesAnyOf(
                    t -> assertThat(t).isSameAs(boom),
                    t -> assertThat(t).isInstanceOf(EngineException.class).hasCause(boom));
            assertThat(count(manager, "t")).isZero();
        }

        @Test
        void a_write_unit_whose_statement_fails_is_rolled_back_with_the_sqlite_result_code() {
            assertThatThrownBy(() -> manager.execute(c -> {
                c.createStatement().executeUpdate("INSERT INTO t VALUES (7)");
                c.createStatement().executeUpdate("INSERT INTO t VALUES (7)");
            }))
                    .isInstanceOfSatisfying(EngineException.class,
                            e -> assertThat(e.resultCode() & 0xff).as("primary result code").isEqualTo(19)); // SQLITE_CONSTRAINT

            assertThat(count(manager, "t")).isZero();
            manager.execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (7)"));
            assertThat(count(manager, "t")).isEqualTo(1);
        }
    }
}
