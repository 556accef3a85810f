package dev.sqliteengine.itests.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineFailures;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.consumer.UnitRunner;
import dev.sqliteengine.itests.support.EngineEvents;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * An engine of {@code type=postgresql} through Config Admin, as an operator runs one, while an
 * application bundle of its own ({@link UnitRunner} in the consumer bundle) runs units on its
 * three services the whole time: made, its pool resized in place, its password changed on the
 * server and then in the configuration (a pool switch), and deleted. No unit fails, the services
 * stay the same objects (the consumer is never re-activated), and the password shows nowhere.
 */
@ExtendWith(PostgresExtension.class)
class ConfigAdminLifecycleTest {

    private static final List<Class<?>> SERVICES = List.of(Engine.class, ConnectionManager.class, DataSource.class);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    @InjectService(timeout = 10_000)
    EngineFailures failures;

    Engines engines;
    Consumer consumer;
    final EngineEvents events = new EngineEvents();
    ServiceRegistration<EngineListener> listener;

    @BeforeEach
    void listen() {
        engines = new Engines(context, admin);
        listener = context.registerService(EngineListener.class, events,
                new Hashtable<>(Map.of(EngineProperties.ENGINE_NAME, "orders")));
    }

    @AfterEach
    void deleteConfigurations() throws Exception {
        listener.unregister();
        if (consumer != null) {
            consumer.close();
        }
        engines.close();
    }

    @Test
    void aConsumerRunsUnitsWithoutAFailureWhileItsEngineIsMadeUpdatedAndDeleted(PostgresDatabase database) throws Exception {
        String firstPassword = database.password();
        Configuration configuration = engines.configure("orders", EngineProperties.TYPE, "postgresql",
                EngineProperties.URL, database.jdbcUrl(), EngineProperties.USER, database.user(),
                EngineProperties.PASSWORD, firstPassword, EngineProperties.CONNECTION_MAX, 4, EngineProperties.WRITE_CONNECTIONS, 2);
        consumer = Consumer.of(admin, context, "orders");
        UnitRunner runner = consumer.awaitActive();
        Consumer.awaitProgress(runner, 60);
        Map<Class<?>, Long> ids = serviceIds();
        Engine engine = engines.service(Engine.class, "orders");
        assertThat(FrameworkUtil.getBundle(UnitRunner.class).getSymbolicName()).isEqualTo("dev.sqliteengine.itests.consumer");

        // the pool's size changes in place
        engines.update(configuration, EngineProperties.CONNECTION_MAX, 6);
        events.awaitCount(EngineEvent.Type.RECONFIGURED, 1);
        assertThat(engine.status().settings()).containsEntry(EngineProperties.CONNECTION_MAX, 6);
        assertThat(engine.status().pool("readers").orElseThrow().max()).isEqualTo(6);
        Consumer.awaitProgress(runner, 60);

        // a new password: on the server first (logged-in sessions stay), then in the configuration,
        // which opens a new pool generation that logs in with it
        String secondPassword = "second-" + firstPassword;
        database.changePassword(secondPassword);
        engines.update(configuration, EngineProperties.PASSWORD, secondPassword);
        events.awaitCount(EngineEvent.Type.RECONFIGURED, 2);
        Consumer.awaitProgress(runner, 60);

        assertThat(events.count(EngineEvent.Type.REJECTED)).as("rejected updates: %s", events).isZero();
        assertThat(runner.failures()).as("units that failed").isEmpty();
        assertThat(consumer.reference()).as("the consumer, never re-activated").hasValueSatisfying(
                reference -> assertThat(context.getService(reference)).isSameAs(runner));
        assertThat(serviceIds()).as("service ids after both updates").isEqualTo(ids);
        assertThat(runner.engine()).isSameAs(engine);
        assertThat(runner.connections()).isSameAs(engines.service(ConnectionManager.class, "orders"));
        assertThat(runner.dataSource()).isSameAs(engines.service(DataSource.class, "orders"));
        assertThat(engine.status().reconfigurations()).isEqualTo(2);

        ServiceReference<DataSource> dataSource = engines.reference(DataSource.class, "orders");
        assertThat(dataSource.getProperty(EngineProperties.DATA_SOURCE_NAME)).isEqualTo("orders");
        assertThat(dataSource.getProperty(EngineProperties.JNDI_SERVICE_NAME)).isEqualTo("orders");
        assertThat(dataSource.getProperty(EngineProperties.PATH)).isEqualTo(database.jdbcUrl());
        for (String password : List.of(firstPassword, secondPassword)) {
            assertThat(servicePropertiesHolding(password)).as("service properties holding a password").isEmpty();
            assertThat(engine.status().toString()).doesNotContain(password);
            assertThat(engine.health().toString()).doesNotContain(password);
            assertThat(events.toString()).doesNotContain(password);
            assertThat(failures.list().toString()).doesNotContain(password);
        }
        try (ShellSession shell = new ShellSession(processor)) {
            for (String command : List.of("engine:list", "engine:info orders", "engine:stats orders")) {
                String printed = shell.run(command);
                assertThat(printed).as(command).contains("orders").doesNotContain(firstPassword).doesNotContain(secondPassword);
            }
        }

        configuration.delete();
        await().atMost(Engines.TIMEOUT).until(() -> consumer.reference().isEmpty());
        events.awaitCount(EngineEvent.Type.CLOSED, 1);
        for (Class<?> type : SERVICES) {
            assertThat(context.getServiceReferences(type.getName(), Engines.filter(EngineProperties.ENGINE_NAME, "orders")))
                    .as("%s services of the deleted engine", type.getSimpleName()).isNull();
        }
        assertThat(runner.running()).isFalse();
        assertThat(runner.failures()).as("units that failed, the deletion included: the consumer stopped first").isEmpty();
        assertThat(runner.units()).isGreaterThanOrEqualTo(180);
    }

    private Map<Class<?>, Long> serviceIds() {
        Map<Class<?>, Long> ids = new LinkedHashMap<>();
        for (Class<?> type : SERVICES) {
            ids.put(type, (Long) engines.reference(type, "orders").getProperty(Constants.SERVICE_ID));
        }
        return ids;
    }

    /** @return {@code objectClass property} of every service property in the framework whose value holds the text */
    private List<String> servicePropertiesHolding(String text) throws Exception {
        List<String> found = new ArrayList<>();
        for (ServiceReference<?> reference : context.getAllServiceReferences(null, null)) {
            for (String key : reference.getPropertyKeys()) {
                if (asText(reference.getProperty(key)).contains(text)) {
                    found.add(asText(reference.getProperty(Constants.OBJECTCLASS)) + " " + key);
                }
            }
        }
        return found;
    }

    private static String asText(Object value) {
        if (value != null && value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return items.toString();
        }
        return String.valueOf(value);
    }
}
