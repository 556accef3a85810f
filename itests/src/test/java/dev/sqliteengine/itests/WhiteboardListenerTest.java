package dev.sqliteengine.itests;

import static dev.sqliteengine.itests.support.Engines.count;
import static dev.sqliteengine.itests.support.Engines.pragma;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Issue 13, whiteboard listeners: an {@link EngineListener} registered as a service hears every
 * engine, or the one its {@code engine.name} names, for as long as it stays registered. No
 * {@code @Nested} classes, so {@code -Dtest=dev.sqliteengine.itests.WhiteboardListenerTest}
 * selects them all (bnd-testing matches the classes of the {@code Test-Cases} header).
 */
class WhiteboardListenerTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @TempDir
    Path dir;

    Engines engines;
    final List<ServiceRegistration<EngineListener>> registrations = new ArrayList<>();

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ServiceRegistration<EngineListener> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // the test unregistered it itself
            }
        }
        engines.close();
    }

    Configuration engine(String name) throws Exception {
        Configuration configuration = engines.configure(name, EngineProperties.PATH,
                dir.resolve(name + ".db").toString());
        write(name, "CREATE TABLE t(v INTEGER)");
        return configuration;
    }

    void write(String engine, String sql) {
        engines.service(ConnectionManager.class, engine).execute(c -> c.createStatement().executeUpdate(sql));
    }

    void insert(String engine) {
        write(engine, "INSERT INTO t VALUES (1)");
    }

    ServiceRegistration<EngineListener> register(EngineListener listener, Object... keyValues) {
        Hashtable<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        ServiceRegistration<EngineListener> registration = context.registerService(EngineListener.class, listener,
                properties);
        registrations.add(registration);
        return registration;
    }

    @Test
    void without_engine_name_hears_the_commits_of_every_engine() throws Exception {
        Heard heard = new Heard();
        register(heard);
        engine("a");
        engine("b");

        insert("a");
        insert("b");
        insert("b");

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> {
            assertThat(heard.commits("a")).isEqualTo(2); // CREATE TABLE and one insert
            assertThat(heard.commits("b")).isEqualTo(3);
        });
    }

    @Test
    void with_engine_name_hears_that_engine_only() throws Exception {
        Heard heard = new Heard();
        register(heard, EngineProperties.ENGINE_NAME, "a");
        engine("a");
        engine("b");

        insert("b");
        insert("a");

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.commits("a")).isEqualTo(2));
        assertThat(heard.engines()).containsOnly("a");
    }

    @Test
    void registered_after_the_engine_started_hears_the_later_events() throws Exception {
        engine("a");
        insert("a");
        Heard heard = new Heard();

        register(heard);
        insert("a");

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.commits("a")).isEqualTo(1));
    }

    @Test
    void hears_nothing_more_once_unregistered() throws Exception {
        Heard heard = new Heard();
        ServiceRegistration<EngineListener> registration = register(heard);
        engine("a");
        insert("a");
        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.commits("a")).isEqualTo(2));

        registration.unregister();
        insert("a");
        insert("a");

        assertThat(count(engines.service(ConnectionManager.class, "a"), "t")).isEqualTo(3);
        assertThat(heard.commits("a")).isEqualTo(2);
    }

    @Test
    void that_throws_does_not_stop_units_from_committing_nor_the_other_listeners() throws Exception {
        register(new Throwing());
        Heard heard = new Heard();
        register(heard);
        engine("a");

        for (int i = 0; i < 5; i++) {
            insert("a");
        }

        assertThat(count(engines.service(ConnectionManager.class, "a"), "t")).isEqualTo(5);
        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.commits("a")).isEqualTo(6));
    }

    @Test
    void that_blocks_does_not_stall_the_engine_and_hears_every_commit_in_order_once_it_is_free() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> heardByBlocked = new CopyOnWriteArrayList<>();
        register(new EngineListener() {
            @Override
            public void committed(EngineEvent event) {
                try {
                    release.await(); // a listener stuck on something of its own
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heardByBlocked.add(event.message());
            }
        });
        Heard heard = new Heard();
        register(heard);
        engine("a");

        for (int i = 0; i < 50; i++) {
            insert("a"); // each returns while the listener above is still blocked
        }
        assertThat(count(engines.service(ConnectionManager.class, "a"), "t")).isEqualTo(50);
        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.commits("a")).isEqualTo(51));
        assertThat(heardByBlocked).isEmpty();

        release.countDown();
        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heardByBlocked).hasSize(51));
    }

    @Test
    void keeps_hearing_the_engine_after_a_live_reconfiguration_that_switches_pools() throws Exception {
        Heard heard = new Heard();
        register(heard, EngineProperties.ENGINE_NAME, "a");
        Configuration configuration = engine("a");
        Engine engine = engines.service(Engine.class, "a");

        // a pragma needs new connections: the engine switches to a new pool generation
        engines.update(configuration, EngineProperties.CONNECTION_MAX, 4, "pragma.cache_size", -2000);
        await().atMost(Engines.TIMEOUT).untilAsserted(() -> {
            assertThat(heard.of(EngineEvent.Type.RECONFIGURED)).isEqualTo(1);
            assertThat(engine.status().pool("readers")).hasValueSatisfying(p -> assertThat(p.max()).isEqualTo(4));
            assertThat(pragma(engine.connections(), "cache_size")).isEqualTo("-2000");
        });
        insert("a");

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.commits("a")).isEqualTo(2));
        assertThat(engines.service(Engine.class, "a")).isSameAs(engine);
    }

    @Test
    void hears_the_engine_close_when_its_configuration_is_deleted() throws Exception {
        Heard heard = new Heard();
        register(heard);
        Configuration configuration = engine("a");

        configuration.delete();
        engines.awaitGone("a");

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.of(EngineEvent.Type.CLOSED)).isEqualTo(1));
    }

    @Test
    void registered_before_the_engine_starts_hears_the_connected_events_of_its_first_connections() throws Exception {
        Heard heard = new Heard();
        register(heard, EngineProperties.ENGINE_NAME, "a");

        engine("a");

        // the writer, the first reader: opened while the engine opened, before its services existed
        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.events.stream()
                .filter(e -> e.type() == EngineEvent.Type.CONNECT).map(EngineEvent::message))
                .anyMatch(m -> m.contains("-writer")).anyMatch(m -> m.contains("-readers")));
    }

    @Test
    void one_object_registered_as_two_services_hears_each_engine_while_its_service_for_it_is_registered()
            throws Exception {
        Heard heard = new Heard();
        ServiceRegistration<EngineListener> forA = register(heard, EngineProperties.ENGINE_NAME, "a");
        register(heard, EngineProperties.ENGINE_NAME, "b");
        engine("a");
        engine("b");
        insert("a");
        insert("b");
        await().atMost(Engines.TIMEOUT).untilAsserted(() -> {
            assertThat(heard.commits("a")).isEqualTo(2); // once each, not twice
            assertThat(heard.commits("b")).isEqualTo(2);
        });

        forA.unregister();
        insert("a");
        insert("b");

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(heard.commits("b")).isEqualTo(3));
        assertThat(heard.commits("a")).isEqualTo(2);
    }

    /** Keeps the connections, commits, reconfigurations and closings it hears, with the engine they came from. */
    static final class Heard implements EngineListener {

        private final List<EngineEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void connected(EngineEvent event) {
            events.add(event);
        }

        @Override
        public void committed(EngineEvent event) {
            events.add(event);
        }

        @Override
        public void reconfigured(EngineEvent event) {
            events.add(event);
        }

        @Override
        public void closed(EngineEvent event) {
            events.add(event);
        }

        long commits(String engine) {
            return events.stream()
                    .filter(e -> e.type() == EngineEvent.Type.COMMIT && e.engineName().equals(engine))
                    .count();
        }

        long of(EngineEvent.Type type) {
            return events.stream().filter(e -> e.type() == type).count();
        }

        List<String> engines() {
            return events.stream().map(EngineEvent::engineName).distinct().toList();
        }
    }

    /** Throws on every event. */
    static final class Throwing implements EngineListener {

        @Override
        public void checkedOut(EngineEvent event) {
            throw new IllegalStateException("checkout listener broke");
        }

        @Override
        public void begun(EngineEvent event) {
            throw new IllegalStateException("begin listener broke");
        }

        @Override
        public void committed(EngineEvent event) {
            throw new IllegalStateException("commit listener broke");
        }

        @Override
        public void checkedIn(EngineEvent event) {
            throw new IllegalStateException("checkin listener broke");
        }
    }
}
