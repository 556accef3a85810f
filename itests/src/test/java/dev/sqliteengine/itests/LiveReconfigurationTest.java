package dev.sqliteengine.itests;

import static dev.sqliteengine.itests.support.Engines.count;
import static dev.sqliteengine.itests.support.Engines.filter;
import static dev.sqliteengine.itests.support.Engines.pragma;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.EngineEvents;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.itests.support.PlainSqlite;
import dev.sqliteengine.itests.support.Workload;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Issue "Live reconfiguration through Config Admin": a running engine takes configuration updates
 * in place. Its three services stay registered with the same ids, work in progress never fails,
 * and an update that cannot work is refused and reported while the engine goes on as it was.
 */
class LiveReconfigurationTest {

    private static final List<Class<?>> SERVICES = List.of(Engine.class, ConnectionManager.class, DataSource.class);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @TempDir
    Path dir;

    Engines engines;
    final List<ServiceListener> serviceListeners = new ArrayList<>();

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void deleteConfigurations() throws Exception {
        serviceListeners.forEach(context::removeServiceListener);
        engines.close();
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    /** Service events for the three services of engine {@code name}, from now on. */
    List<ServiceEvent> serviceEvents(String name) throws Exception {
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        ServiceListener listener = events::add;
        context.addServiceListener(listener, filter(EngineProperties.ENGINE_NAME, name));
        serviceListeners.add(listener);
        return events;
    }

    Map<Class<?>, Long> serviceIds(String name) {
        Map<Class<?>, Long> ids = new LinkedHashMap<>();
        for (Class<?> type : SERVICES) {
            ids.put(type, serviceId(engines.reference(type, name)));
        }
        return ids;
    }

    static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    static long ofType(List<ServiceEvent> events, int type) {
        return events.stream().filter(e -> e.getType() == type).count();
    }

    Configuration configure(String name, Map<String, Object> properties) throws Exception {
        List<Object> keyValues = new ArrayList<>();
        properties.forEach((key, value) -> {
            keyValues.add(key);
            keyValues.add(value);
        });
        return engines.configure(name, keyValues.toArray());
    }

    /** Replaces the configuration's properties with exactly these (so an earlier bad value does not linger). */
    static void replace(Configuration configuration, Map<String, Object> properties) throws Exception {
        configuration.update(new Hashtable<>(properties));
    }

    /** @return PRAGMA synchronous as SQLite reports it: OFF 0, NORMAL 1, FULL 2, EXTRA 3 */
    static String synchronousLevel(String keyword) {
        return String.valueOf(List.of("OFF", "NORMAL", "FULL", "EXTRA").indexOf(keyword));
    }

    @Nested
    class UnderASteadyLoad {

        private static final int WORKERS = 8;
        private static final int UPDATES = 50;

        /** osgi.connection.max, osgi.connection.min; every max is at least the connections held at the end. */
        private final int[][] sizes = {{4, 1}, {8, 2}, {3, 0}, {6, 3}, {5, 1}, {10, 4}};
        private final int[] cacheSizes = {-2000, -8000, 500, -64000};
        private final String[] synchronous = {"FULL", "OFF", "NORMAL"};

        @Test
        void fifty_updates_fail_no_work_lose_no_acknowledged_write_and_keep_the_services() throws Exception {
            Map<String, Object> good = new LinkedHashMap<>(Map.of(EngineProperties.PATH, file("steady.db"),
                    EngineProperties.CONNECTION_MAX, 10, EngineProperties.CONNECTION_MIN, 1));
            Configuration configuration = configure("steady", good);
            Engine engine = engines.service(Engine.class, "steady");
            ConnectionManager manager = engines.service(ConnectionManager.class, "steady");
            DataSource dataSource = engines.service(DataSource.class, "steady");
            Map<Class<?>, Long> ids = serviceIds("steady");
            List<ServiceEvent> serviceEvents = serviceEvents("steady");
            EngineEvents events = new EngineEvents();
            engine.addListener(events);
            Workload.createTable(manager);

            int reconfigured = 0;
            int rejected = 0;
            List<String> applied = new ArrayList<>();
            try (Workload load = Workload.steady(manager, WORKERS).start()) {
                load.awaitProgress(WORKERS);
                for (int i = 0; i < UPDATES; i++) {
                    if (i % 8 == 7) {
                        Map<String, Object> bad = new LinkedHashMap<>(good);
                        String property = (i / 8) % 2 == 0 ? "pragma.journal_mode" : EngineProperties.CONNECTION_MAX;
                        bad.put(property, property.startsWith("pragma.") ? "BOGUS" : -1);
                        replace(configuration, bad);
                        applied.add("#" + i + " " + property + "=" + bad.get(property) + " (invalid)");
                        events.awaitCount(EngineEvent.Type.REJECTED, ++rejected);
                        assertThat(engine.status().lastRejection()).as("update #%d", i).hasValueSatisfying(
                                why -> assertThat(why).contains(property));
                    } else {
                        if (i % 2 == 0) {
                            int[] size = sizes[(i / 2) % sizes.length];
                            good.put(EngineProperties.CONNECTION_MAX, size[0]);
                            good.put(EngineProperties.CONNECTION_MIN, size[1]);
                        } else {
                            good.put("pragma.cache_size", cacheSizes[(i / 2) % cacheSizes.length]);
                            good.put("pragma.synchronous", synchronous[(i / 2) % synchronous.length]);
                        }
                        replace(configuration, good);
                        applied.add("#" + i + " " + good);
                        events.awaitCount(EngineEvent.Type.RECONFIGURED, ++reconfigured);
                        assertThat(engine.status().lastRejection()).as("update #%d", i).isEmpty();
                        assertSettings(engine, good);
                        assertThat(engine.status().pool("readers")).as("reader pool after update #%d", i)
                                .hasValueSatisfying(readers -> assertThat(readers)
                                        .extracting(p -> p.max(), p -> p.min())
                                        .containsExactly(good.get(EngineProperties.CONNECTION_MAX),
                                                good.get(EngineProperties.CONNECTION_MIN)));
                    }
                    load.awaitProgress(WORKERS);
                }
                load.stop(Engines.TIMEOUT);

                assertThat(load.failures()).as("failed units of work during %s", applied)
                        .withFailMessage(() -> Workload.describe(load.failures())).isEmpty();
                assertThat(Workload.rows(manager)).as("rows in the table").containsAll(load.acknowledged());
                assertThat(load.acknowledged()).as("acknowledged writes").isNotEmpty();
            }

            assertThat(ofType(serviceEvents, ServiceEvent.UNREGISTERING)).as("UNREGISTERING events").isZero();
            assertThat(serviceIds("steady")).as("service ids").isEqualTo(ids);
            assertThat(engines.registered("steady")).isEqualTo(SERVICES.size());
            assertPragmasOnEveryConnection(dataSource, manager, good);
            assertThat(engine.status().reconfigurations()).isEqualTo(reconfigured);
            await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(engine.status().activeConnections())
                    .as("connections still checked out: %s", engine.status().pools()).isZero());
        }

        private void assertSettings(Engine engine, Map<String, Object> expected) {
            Map<String, Object> settings = engine.status().settings();
            expected.forEach((key, value) -> {
                if (!key.equals(EngineProperties.PATH)) {
                    assertThat(String.valueOf(settings.get(key))).as(key).isEqualTo(String.valueOf(value));
                }
            });
        }
    }

    /** Holds several DataSource connections at once and checks each, then a read unit. */
    static void assertPragmasOnEveryConnection(DataSource dataSource, ConnectionManager manager,
            Map<String, Object> expected) throws Exception {
        String cacheSize = String.valueOf(expected.getOrDefault("pragma.cache_size", -64000));
        String synchronous = synchronousLevel(String.valueOf(expected.getOrDefault("pragma.synchronous", "NORMAL")));
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(dataSource.getConnection());
            }
            assertThat(held).doesNotHaveDuplicates();
            for (Connection c : held) {
                assertThat(pragma(c, "cache_size")).as("cache_size on a DataSource connection").isEqualTo(cacheSize);
                assertThat(pragma(c, "synchronous")).as("synchronous on a DataSource connection").isEqualTo(synchronous);
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        assertThat(pragma(manager, "cache_size")).as("cache_size in a read unit").isEqualTo(cacheSize);
        assertThat(pragma(manager, "synchronous")).as("synchronous in a read unit").isEqualTo(synchronous);
    }

    @Nested
    class AnInvalidUpdate {

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource({
            "pragma.journal_mode, BOGUS",
            "osgi.connection.max, -1",
            "pragma.nope, 1",
        })
        void keeps_the_previous_settings_and_reports_the_rejection(String property, String value) throws Exception {
            Map<String, Object> previous = Map.of(EngineProperties.PATH, file("kept.db"),
                    "pragma.cache_size", -3000, "pragma.synchronous", "FULL");
            Configuration configuration = configure("kept", previous);
            Engine engine = engines.service(Engine.class, "kept");
            ConnectionManager manager = engines.service(ConnectionManager.class, "kept");
            DataSource dataSource = engines.service(DataSource.class, "kept");
            manager.execute(c -> c.createStatement().executeUpdate("CREATE TABLE t(v INTEGER)"));
            Map<Class<?>, Long> ids = serviceIds("kept");
            EngineEvents events = new EngineEvents();
            engine.addListener(events);

            Map<String, Object> bad = new LinkedHashMap<>(previous);
            bad.put("pragma.cache_size", -9000); // a valid change in the same update is not applied either
            bad.put(property, value);
            replace(configuration, bad);

            events.awaitCount(EngineEvent.Type.REJECTED, 1);
            assertThat(events.last(EngineEvent.Type.REJECTED).orElseThrow().cause())
                    .hasValueSatisfying(cause -> assertThat(cause).isInstanceOf(dev.sqliteengine.api.ConfigurationException.class));
            assertThat(engine.status().lastRejection()).hasValueSatisfying(why -> assertThat(why).contains(property));
            assertThat(events.count(EngineEvent.Type.RECONFIGURED)).isZero();
            assertThat(engine.status().settings()).containsEntry("pragma.cache_size", -3000L);

            manager.execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1), (2)"));
            assertThat(count(manager, "t")).isEqualTo(2);
            assertPragmasOnEveryConnection(dataSource, manager, previous);
            assertThat(pragma(manager, "journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(serviceIds("kept")).isEqualTo(ids);
        }

        @Test
        void is_forgotten_once_a_later_valid_update_is_applied() throws Exception {
            Map<String, Object> good = new LinkedHashMap<>(Map.of(EngineProperties.PATH, file("later.db")));
            Configuration configuration = configure("later", good);
            Engine engine = engines.service(Engine.class, "later");
            EngineEvents events = new EngineEvents();
            engine.addListener(events);
            Map<String, Object> bad = new LinkedHashMap<>(good);
            bad.put("pragma.journal_mode", "BOGUS");
            replace(configuration, bad);
            events.awaitCount(EngineEvent.Type.REJECTED, 1);

            good.put("pragma.cache_size", -4000);
            replace(configuration, good);

            events.awaitCount(EngineEvent.Type.RECONFIGURED, 1);
            assertThat(engine.status().lastRejection()).isEmpty();
            assertPragmasOnEveryConnection(engines.service(DataSource.class, "later"),
                    engines.service(ConnectionManager.class, "later"), good);
        }
    }

    @Nested
    class AnUpdateThatChangesNothingEffective {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "the same properties again | ",
            "a default made explicit   | pragma.synchronous=NORMAL",
            "a number given as text    | osgi.connection.max=6",
            "a key the engine ignores  | comment=nothing to see",
        })
        void causes_no_reconfigured_event_and_no_service_property_change(String what, String change) throws Exception {
            Map<String, Object> current = new LinkedHashMap<>(Map.of(EngineProperties.PATH, file("same.db"),
                    EngineProperties.CONNECTION_MAX, 6));
            Configuration configuration = configure("same", current);
            Engine engine = engines.service(Engine.class, "same");
            EngineEvents events = new EngineEvents();
            engine.addListener(events);
            List<ServiceEvent> serviceEvents = serviceEvents("same");

            Map<String, Object> same = new LinkedHashMap<>(current);
            if (change != null) {
                String[] kv = change.split("=", 2);
                same.put(kv[0].trim(), kv[1].trim()); // text, as a .cfg file gives it
            }
            replace(configuration, same);
            // Config Admin delivers the updates of one configuration in order: once this marker
            // change is in effect, the update before it has been handled.
            Map<String, Object> marker = new LinkedHashMap<>(same);
            marker.put(EngineProperties.CONNECTION_MAX, 7);
            replace(configuration, marker);

            events.awaitCount(EngineEvent.Type.RECONFIGURED, 1); // the marker's, and only the marker's
            await().atMost(Engines.TIMEOUT).until(() -> ofType(serviceEvents, ServiceEvent.MODIFIED) >= SERVICES.size());
            assertThat(ofType(serviceEvents, ServiceEvent.MODIFIED)).as("MODIFIED service events: the marker's only")
                    .isEqualTo(SERVICES.size());
            assertThat(engine.status().reconfigurations()).isEqualTo(1);
            assertThat(events.count(EngineEvent.Type.REJECTED)).isZero();
        }
    }

    @Nested
    class AChangeOfPath {

        @Test
        void moves_the_engine_to_the_new_file_keeps_the_services_and_releases_the_old_file() throws Exception {
            Path before = dir.resolve("before.db");
            Path after = dir.resolve("after.db");
            Configuration configuration = engines.configure("moving", EngineProperties.PATH, before.toString());
            Engine engine = engines.service(Engine.class, "moving");
            ConnectionManager manager = engines.service(ConnectionManager.class, "moving");
            DataSource dataSource = engines.service(DataSource.class, "moving");
            manager.execute(c -> {
                c.createStatement().executeUpdate("CREATE TABLE t(v TEXT)");
                c.createStatement().executeUpdate("INSERT INTO t VALUES ('old')");
            });
            try (Connection c = dataSource.getConnection()) {
                assertThat(count(c, "t")).isEqualTo(1); // the data source pool has the old file open too
            }
            assertThatThrownBy(() -> PlainSqlite.takeExclusively(before)).as("the control: the engine holds the file")
                    .isInstanceOf(java.sql.SQLException.class);
            Map<Class<?>, Long> ids = serviceIds("moving");
            List<ServiceEvent> serviceEvents = serviceEvents("moving");
            EngineEvents events = new EngineEvents();
            engine.addListener(events);

            engines.update(configuration, EngineProperties.PATH, after.toString());

            events.awaitCount(EngineEvent.Type.RECONFIGURED, 1);
            assertThat(Path.of(engine.status().path())).isEqualTo(after.toAbsolutePath());
            assertThat(engines.reference(Engine.class, "moving").getProperty(EngineProperties.PATH))
                    .as("the path service property").isEqualTo(engine.status().path());
            manager.execute(c -> {
                c.createStatement().executeUpdate("CREATE TABLE t(v TEXT)");
                c.createStatement().executeUpdate("INSERT INTO t VALUES ('new'), ('newer')");
            });
            assertThat(count(manager, "t")).isEqualTo(2);
            try (Connection c = dataSource.getConnection()) {
                assertThat(count(c, "t")).as("rows seen through the DataSource").isEqualTo(2);
            }
            assertThat(serviceIds("moving")).isEqualTo(ids);
            assertThat(ofType(serviceEvents, ServiceEvent.UNREGISTERING)).isZero();

            await().atMost(Engines.TIMEOUT).ignoreExceptions().untilAsserted(() -> PlainSqlite.takeExclusively(before));
            assertThat(PlainSqlite.count(before, "t")).as("rows left in the old file").isEqualTo(1);
            assertThat(PlainSqlite.count(after, "t")).as("rows in the new file").isEqualTo(2);
        }
    }
}
