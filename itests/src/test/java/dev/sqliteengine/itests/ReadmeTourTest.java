package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.SqlWork;
import dev.sqliteengine.itests.support.Engines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The README's tour, run as it stands there: an engine made through Config Admin, a write unit
 * and a read unit on it, and a live reconfiguration that the same services serve on. The tour is
 * the code between {@value #BEGIN} and {@value #END} below; {@link #the_readme_shows_the_code_this_test_runs}
 * compares it with the README's, which the test bundle carries (with this source) as resources,
 * so the two cannot drift apart. The comments in the tour that state a value are asserted after it.
 */
class ReadmeTourTest {

    private static final String BEGIN = "// tour:begin";
    private static final String END = "// tour:end";
    /** The README's heading whose first {@code java} block is the tour. */
    private static final String TOUR_HEADING = "## A tour in Java";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @TempDir
    Path dir;

    private final List<ServiceListener> serviceListeners = new ArrayList<>();

    @AfterEach
    void deleteTheTourEngine() throws Exception {
        serviceListeners.forEach(context::removeServiceListener);
        Configuration[] configurations = configAdmin.listConfigurations(
                Engines.filter("service.pid", EngineProperties.FACTORY_PID + "~notes"));
        if (configurations != null) {
            for (Configuration configuration : configurations) {
                configuration.delete();
            }
        }
        new Engines(context, configAdmin).awaitGone("notes");
    }

    @Test
    void makes_an_engine_through_config_admin_uses_its_units_and_reconfigures_it_live() throws Exception {
        Path file = dir.resolve("notes.db");
        List<ServiceEvent> unregistered = unregisteringEventsOf("notes");

        // tour:begin
        // An engine is a factory configuration of dev.sqliteengine.engine; this one is named "notes"
        Configuration config = configAdmin.getFactoryConfiguration("dev.sqliteengine.engine", "notes", "?");
        config.update(new Hashtable<>(Map.of("path", file.toString(), "osgi.connection.max", 4)));

        // Its Engine, ConnectionManager and DataSource services carry engine.name=notes
        // (in a DS component: @Reference(target = "(engine.name=notes)") ConnectionManager db)
        ServiceTracker<Engine, Engine> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + Engine.class.getName() + ")(engine.name=notes))"), null);
        tracker.open();
        Engine engine = tracker.waitForService(10_000);
        ConnectionManager db = engine.connections();

        // A write unit: BEGIN IMMEDIATE ... COMMIT on the one writer; committed when it returns
        int added = db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE note(id INTEGER PRIMARY KEY, text TEXT)");
                return s.executeUpdate("INSERT INTO note(text) VALUES ('hello'), ('world')");
            }
        });
        // A read unit: a read-only connection, one snapshot, never waits for the writer
        SqlWork<Long> countNotes = c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM note")) {
                r.next();
                return r.getLong(1);
            }
        };
        long notes = db.read(countNotes);                                  // 2

        // Reconfigure live through Config Admin: the same engine and services serve on
        CountDownLatch applied = new CountDownLatch(1);
        engine.addListener(new EngineListener() {
            @Override
            public void reconfigured(EngineEvent event) {
                applied.countDown();
            }
        });
        Dictionary<String, Object> properties = config.getProperties();
        properties.put("osgi.connection.max", 8);
        config.update(properties);
        boolean inEffect = applied.await(10, TimeUnit.SECONDS);            // true
        int readers = engine.status().pool("readers").orElseThrow().max(); // 8
        long notesNow = db.read(countNotes);                               // 2
        // tour:end
        tracker.close();

        assertThat(added).isEqualTo(2);
        assertThat(notes).isEqualTo(2);
        assertThat(inEffect).as("a RECONFIGURED event within 10 s").isTrue();
        assertThat(readers).isEqualTo(8);
        assertThat(notesNow).isEqualTo(2);
        assertThat(engine.status().settings()).containsEntry(EngineProperties.CONNECTION_MAX, 8);
        assertThat(engine.status().reconfigurations()).isEqualTo(1);
        assertThat(unregistered).as("services unregistered during the tour").isEmpty();
        ServiceReference<ConnectionManager> manager = context.getServiceReferences(ConnectionManager.class,
                Engines.filter(EngineProperties.ENGINE_NAME, "notes")).iterator().next();
        try {
            assertThat(context.getService(manager)).as("the ConnectionManager service").isSameAs(db);
        } finally {
            context.ungetService(manager);
        }
    }

    @Test
    void the_readme_shows_the_code_this_test_runs() throws IOException {
        List<String> readme = resourceLines("tour/README.md");
        List<String> source = resourceLines("tour/ReadmeTourTest.java");

        assertThat(dedent(readmeTour(readme))).as("the java block under \"%s\" in README.md", TOUR_HEADING)
                .isEqualTo(dedent(sourceTour(source)));
    }

    /** Events of the engine's services going away, from now on. */
    private List<ServiceEvent> unregisteringEventsOf(String name) throws Exception {
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                events.add(event);
            }
        };
        context.addServiceListener(listener, Engines.filter(EngineProperties.ENGINE_NAME, name));
        serviceListeners.add(listener);
        return events;
    }

    private List<String> resourceLines(String path) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as("resource %s of the test bundle", path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** @return the lines of the first {@code java} block after the tour's heading */
    private static List<String> readmeTour(List<String> readme) {
        int heading = readme.indexOf(TOUR_HEADING);
        assertThat(heading).as("README.md has the heading %s", TOUR_HEADING).isNotNegative();
        int open = indexOf(readme, "```java", heading);
        int close = indexOf(readme, "```", open + 1);
        return readme.subList(open + 1, close);
    }

    /** @return the lines between the markers, which stand alone on their lines */
    private static List<String> sourceTour(List<String> source) {
        int begin = indexOfTrimmed(source, BEGIN);
        int end = indexOfTrimmed(source, END);
        assertThat(begin).as("the marker %s", BEGIN).isNotNegative();
        assertThat(end).as("the marker %s", END).isGreaterThan(begin);
        return source.subList(begin + 1, end);
    }

    private static int indexOf(List<String> lines, String line, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).equals(line)) {
                return i;
            }
        }
        throw new AssertionError("no line " + line + " after line " + from);
    }

    private static int indexOfTrimmed(List<String> lines, String line) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(line)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the lines without trailing blanks and without the indentation they all share */
    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }
}
