package dev.sqliteengine.itests.corpus;

import static dev.sqliteengine.itests.support.Engines.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.corpus.BadConfigurations;
import dev.sqliteengine.corpus.BadConfigurations.Case;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.itests.support.RecordedEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Every configuration of the bad configuration corpus ({@code bad-configurations.txt}, shared
 * with the impl's unit test) through Config Admin: as a new factory configuration it registers
 * nothing, the {@link EngineConfigurations} service refuses to store it, and as an update of a
 * serving engine it leaves the engine serving with its previous settings and its rows.
 * <p>
 * One serving engine takes every update; another engine, made with the {@link EngineFactory}
 * service, holds the name {@value #TAKEN} and the file {@code taken.db} that some cases ask for.
 */
class BadConfigurationCorpusTest {

    static final String TAKEN = "corpus.taken";
    static final String SERVING = "corpus.serving";
    /** How long a rejected update may take to show: Config Admin and SCR are asynchronous. */
    static final Duration REJECTION = Duration.ofSeconds(10);

    @InjectBundleContext
    static BundleContext context;

    @InjectService(timeout = 10_000)
    static ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    static EngineConfigurations configurations;

    @InjectService(timeout = 10_000)
    static EngineFactory factory;

    static Path dir;
    static Map<String, String> placeholders;
    static Engine taken;
    static Engines engines;
    static Configuration serving;
    static Map<String, Object> servingProperties;
    static Map<String, Object> servingSettings;

    @BeforeAll
    static void anotherEngineAndAServingEngine() throws Exception {
        dir = Files.createTempDirectory("corpus");
        Path file = Files.writeString(dir.resolve("afile"), "a regular file, not a folder");
        placeholders = Map.of("dir", dir.toString(), "file", file.toString(), "taken", TAKEN);
        taken = factory.create(Map.of(EngineProperties.NAME, TAKEN, EngineProperties.PATH, dir.resolve("taken.db").toString()));

        engines = new Engines(context, admin);
        servingProperties = Map.of(EngineProperties.PATH, dir.resolve("serving.db").toString(),
                EngineProperties.CONNECTION_MAX, 4, "pragma.synchronous", "FULL");
        serving = engines.configure(SERVING, flatten(servingProperties));
        ConnectionManager rows = engines.service(ConnectionManager.class, SERVING);
        rows.execute(c -> c.createStatement().executeUpdate("CREATE TABLE row(id INTEGER PRIMARY KEY, v TEXT)"));
        servingSettings = engines.service(Engine.class, SERVING).status().settings();
    }

    @AfterAll
    static void closeEverything() throws Exception {
        engines.close();
        taken.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static List<Case> corpus() {
        return BadConfigurations.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void as_a_new_factory_configuration_it_registers_no_service(Case bad) throws Exception {
        String badName = "corpus.c" + bad.line();
        String goodName = "corpus.g" + bad.line();
        Map<Long, String> before = engineServices();
        Configuration badConfiguration = admin.getFactoryConfiguration(EngineProperties.FACTORY_PID, badName, "?");
        Configuration goodConfiguration = admin.getFactoryConfiguration(EngineProperties.FACTORY_PID, goodName, "?");
        try {
            badConfiguration.update(new Hashtable<>(withDefaultPath(bad, "c")));
            goodConfiguration.update(new Hashtable<>(Map.of(EngineProperties.PATH, dir.resolve(goodName + ".db").toString())));

            // Config Admin and SCR handle configurations in order: once the good engine is there,
            // the bad one has had its chance.
            soon(Engines.TIMEOUT).until(() -> engines.registered(goodName) == 3);
            Map<Long, String> added = engineServices();
            added.keySet().removeAll(before.keySet());
            added.values().removeIf(goodName::equals);
            assertThat(added).as("services registered for the bad configuration").isEmpty();
        } finally {
            badConfiguration.delete();
            goodConfiguration.delete();
            soon(Engines.TIMEOUT).until(() -> engines.registered(goodName) == 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void the_configurations_service_refuses_to_store_it(Case bad) throws Exception {
        Set<String> before = storedPids();
        Map<String, Object> properties = withDefaultPath(bad, "s");
        Object caseName = properties.get(EngineProperties.NAME);
        String name = caseName instanceof String s ? s : "corpus.s" + bad.line();

        Throwable thrown = catchThrowable(() -> configurations.create(name, properties));

        Set<String> stored = storedPids();
        stored.removeAll(before);
        for (String pid : stored) {
            admin.getConfiguration(pid, "?").delete();
        }
        SoftAssertions softly = new SoftAssertions();
        if (bad.detectedOnOpen() && thrown == null) {
            // Only opening finds it (a name held by an engine the EngineFactory service made, which
            // Config Admin does not know): it may be stored, but no engine may run from it.
            softly.assertThat(context.getServiceReferences(Engine.class, Engines.filter(EngineProperties.ENGINE_NAME, name)))
                    .as("engines from %s", stored).allMatch(r -> !stored.contains(String.valueOf(r.getProperty("service.pid"))));
            softly.assertAll();
            return;
        }
        softly.assertThat(thrown).as("%s (line %d)", bad, bad.line()).isInstanceOf(ConfigurationException.class);
        if (thrown instanceof ConfigurationException refused) {
            softly.assertThat(refused.property()).as(refused.getMessage()).isEqualTo(bad.property());
            softly.assertThat(refused.getMessage()).contains(bad.property()).doesNotContain("\0", "\n", "\r");
        }
        softly.assertThat(stored).as("configurations stored").isEmpty();
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void as_an_update_it_leaves_a_serving_engine_serving_with_its_settings_and_rows(Case bad) throws Exception {
        ServiceReference<Engine> reference = soon(Engines.TIMEOUT).until(() -> context.getServiceReferences(Engine.class,
                Engines.filter(EngineProperties.ENGINE_NAME, SERVING)).stream().findFirst().orElse(null), r -> r != null);
        Engine engine = context.getService(reference);
        RecordedEvents events = new RecordedEvents();
        try {
            ConnectionManager manager = engine.connections();
            insertRow(manager, bad.description());
            long rows = count(manager, "row");
            engine.addListener(events);

            Map<String, Object> update = new LinkedHashMap<>(servingProperties);
            update.putAll(bad.properties(placeholders));
            serving.update(new Hashtable<>(update));

            // every outcome of an update fires an event (REJECTED, or RECONFIGURED if it got through),
            // and the event comes after lastRejection is set: wait for the event
            soon(REJECTION).until(events::any);
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(events.all()).as("events").extracting(EngineEvent::type).containsOnly(EngineEvent.Type.REJECTED);
            events.of(EngineEvent.Type.REJECTED).stream().findFirst().flatMap(EngineEvent::cause).ifPresent(cause ->
                    softly.assertThat(cause).as("why").isInstanceOfSatisfying(ConfigurationException.class,
                            e -> softly.assertThat(e.property()).as(e.getMessage()).isEqualTo(bad.property())));
            softly.assertThat(engine.status().lastRejection().orElse("<none>")).as("lastRejection").contains(bad.property());
            softly.assertThat(context.getServiceReferences(Engine.class, "(" + Constants.SERVICE_ID + "="
                    + reference.getProperty(Constants.SERVICE_ID) + ")")).as("the same Engine service").hasSize(1);
            softly.assertThat(engine.status().state()).as("state").isEqualTo(EngineState.RUNNING);
            softly.assertThat(engine.status().settings()).as("settings").isEqualTo(servingSettings);
            softly.assertThat(catchThrowable(() -> {
                softly.assertThat(count(manager, "row")).as("rows").isEqualTo(rows);
                insertRow(manager, "after " + bad.description());
                softly.assertThat(count(manager, "row")).as("rows after a write").isEqualTo(rows + 1);
            })).as("reading and writing rows").isNull();
            softly.assertAll();
        } finally {
            engine.removeListener(events);
            context.ungetService(reference);
            restoreServingEngine();
        }
    }

    /** Polls from the start and often: 3 x 186 cases must not each wait Awaitility's default 100 ms. */
    private static ConditionFactory soon(Duration atMost) {
        return await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    private static void insertRow(ConnectionManager manager, String text) {
        manager.execute(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO row(v) VALUES (?)")) {
                insert.setString(1, text);
                insert.executeUpdate();
            }
        });
    }

    /** After a case that got through: the serving engine back on its own settings, for the next case. */
    private static void restoreServingEngine() throws Exception {
        if (servingAsBefore()) {
            return;
        }
        serving.update(new Hashtable<>(servingProperties));
        soon(Engines.TIMEOUT).until(BadConfigurationCorpusTest::servingAsBefore);
    }

    private static boolean servingAsBefore() throws Exception {
        for (ServiceReference<Engine> r : context.getServiceReferences(Engine.class,
                Engines.filter(EngineProperties.ENGINE_NAME, SERVING))) {
            Engine engine = context.getService(r);
            try {
                if (engine != null && engine.status().state() == EngineState.RUNNING
                        && engine.status().settings().equals(servingSettings)) {
                    return true;
                }
            } finally {
                context.ungetService(r);
            }
        }
        return false;
    }

    /** The case's properties, with a fresh file when the case has no path of its own; the name comes from the PID. */
    private static Map<String, Object> withDefaultPath(Case bad, String prefix) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EngineProperties.PATH, dir.resolve(prefix + bad.line() + ".db").toString());
        properties.putAll(bad.properties(placeholders));
        return properties;
    }

    /** @return every engine service right now: service id to engine.name */
    private static Map<Long, String> engineServices() throws Exception {
        Map<Long, String> out = new HashMap<>();
        ServiceReference<?>[] all = context.getAllServiceReferences(null, "(" + EngineProperties.ENGINE_NAME + "=*)");
        if (all != null) {
            for (ServiceReference<?> r : all) {
                out.put((Long) r.getProperty(Constants.SERVICE_ID), String.valueOf(r.getProperty(EngineProperties.ENGINE_NAME)));
            }
        }
        return out;
    }

    /** @return the PIDs of every engine configuration in Config Admin */
    private static Set<String> storedPids() throws Exception {
        Set<String> pids = new HashSet<>();
        Configuration[] all = admin.listConfigurations(
                "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + EngineProperties.FACTORY_PID + ")");
        if (all != null) {
            for (Configuration c : all) {
                pids.add(c.getPid());
            }
        }
        return pids;
    }

    private static Object[] flatten(Map<String, Object> properties) {
        return properties.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray();
    }
}
