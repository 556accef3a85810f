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
