package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Outside OSGi the factory is found with {@code ServiceLoader}: on the module path through the
 * module descriptor's {@code provides}, on the class path through {@code META-INF/services}.
 * Each case runs in a JVM of its own, so the module graph is the real one a user gets.
 */
class ServiceLoaderTest {

    @TempDir
    Path dir;

    private static final String PROBE = """
            import dev.sqliteengine.api.*;
            import java.util.*;
            public class Probe {
                public static void main(String[] args) {
                    EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
                    try (Engine engine = factory.create(Map.of("name", "plain", "path", args[0]))) {
                        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
                        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (42)"));
                        int v = engine.connections().read(c -> {
                            var r = c.createStatement().executeQuery("SELECT v FROM t");
                            r.next();
                            return r.getInt(1);
                        });
                        System.out.println("value=" + v + " module=" + factory.getClass().getModule().getName());
                    }
                }
            }
            """;

    /**
     * jmx.enabled on the plain module path: off by default; on, the engine is in the platform
     * MBean server while it runs (a JMX client reads its attributes by name), a second engine of
     * that name from another factory is refused naming the property, and closing unregisters it.
     */
    private static final String JMX_PROBE = """
            import dev.sqliteengine.api.*;
            import java.lang.management.ManagementFactory;
            import java.util.*;
            import javax.management.ObjectName;
            public class JmxProbe {
                public static void main(String[] args) throws Exception {
                    var server = ManagementFactory.getPlatformMBeanServer();
                    var name = new ObjectName("dev.sqliteengine:type=Engine,name=watched");
                    EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
                    try (Engine quiet = factory.create(Map.of("name", "watched", "path", args[0]))) {
                        System.out.println("default registered=" + server.isRegistered(name));
                    }
                    try (Engine engine = factory.create(Map.of("name", "watched", "path", args[0], "jmx.enabled", true))) {
                        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
                        System.out.println("enabled registered=" + server.isRegistered(name)
                                + " state=" + server.getAttribute(name, "State")
                                + " commits=" + server.getAttribute(name, "Commits"));
                        EngineFactory other = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
                        try {
                            other.create(Map.of("name", "watched", "path", args[1], "jmx.enabled", "true"));
                            System.out.println("taken: created");
                        } catch (ConfigurationException e) {
                            System.out.println("taken: property=" + e.property() + " message=" + e.getMessage());
                        }
                        try (Engine unwatched = other.create(Map.of("name", "watched", "path", args[1]))) {
                            System.out.println("same name without jmx: " + unwatched.status().state());
                        }
                    }
                    System.out.println("after close registered=" + server.isRegistered(name));
                }
            }
            """;

    @Test
    void onTheModulePathJmxIsOffByDefaultAndOnWithJmxEnabledUntilTheEngineCloses() throws Exception {
        Path probe = dir.resolve("JmxProbe.java");
        Files.writeString(probe, JMX_PROBE);
        String output = run(List.of(java(), "--module-path", path(), "--add-modules", "dev.sqliteengine.impl",
                probe.toString(), dir.resolve("j.db").toString(), dir.resolve("k.db").toString()));
        assertThat(output).contains("default registered=false")
                .contains("enabled registered=true state=RUNNING commits=1")
                .contains("taken: property=jmx.enabled message=[watched] jmx.enabled=true is invalid")
                .contains("dev.sqliteengine:type=Engine,name=watched is registered already")
                .contains("same name without jmx: RUNNING")
                .contains("after close registered=false");
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String path() throws Exception {
        return Stream.of(Engine.class, SqliteEngineFactory.class, HikariConfig.class, SQLiteConfig.class, LoggerFactory.class,
                        org.HdrHistogram.Recorder.class, org.postgresql.Driver.class)
                .map(t -> {
                    try {
                        return location(t);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .distinct().collect(Collectors.joining(File.pathSeparator));
    }

    private String run(List<String> args) throws Exception {
        Path probe = dir.resolve("Probe.java");
        Files.writeString(probe, PROBE);
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void theFactoryIsFoundOnTheModulePath() throws Exception {
        String output = run(List.of(java(), "--module-path", path(), "--add-modules", "dev.sqliteengine.impl",
                dir.resolve("Probe.java").toString(), dir.resolve("m.db").toString()));
        assertThat(output).contains("value=42 module=dev.sqliteengine.impl");
    }

    @Test
    void theFactoryIsFoundOnTheClassPath() throws Exception {
        String output = run(List.of(java(), "-cp", path(), dir.resolve("Probe.java").toString(),
                dir.resolve("c.db").toString()));
        assertThat(output).contains("value=42");
    }
}
