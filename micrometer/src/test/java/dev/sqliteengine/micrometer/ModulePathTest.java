package dev.sqliteengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * On the module path, as a plain Java application has it: the engine from the impl's
 * {@code EngineFactory}, the meters from this module, Micrometer's jars as their automatic
 * modules. In a JVM of its own, so the module graph is the real one.
 */
class ModulePathTest {

    private static final String PROBE = """
            import dev.sqliteengine.api.*;
            import dev.sqliteengine.micrometer.EngineMeters;
            import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
            import java.util.*;
            public class Probe {
                public static void main(String[] args) {
                    EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    Engine engine = factory.create(Map.of("name", "plain", "path", args[0]));
                    EngineMeters meters = new EngineMeters(engine);
                    meters.bindTo(registry);
                    engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
                    for (int i = 0; i < 5; i++) {
                        engine.connections().write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (1)"));
                    }
                    System.out.println("commits=" + registry.get("sqlite.engine.commits").tag("engine", "plain")
                            .functionCounter().count());
                    System.out.println("module=" + EngineMeters.class.getModule().getName() + " micrometer="
                            + registry.getClass().getModule().getName() + " meters=" + registry.getMeters().size());
                    meters.close();
                    engine.close();
                    System.out.println("after close=" + registry.getMeters().size());
                }
            }
            """;

    @TempDir
    Path dir;

    private static String location(String type) throws Exception {
        return Path.of(Class.forName(type).getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void theMetersBindOnTheModulePathAndGoWhenClosed() throws Exception {
        String modulePath = Stream.of("dev.sqliteengine.api.Engine", "dev.sqliteengine.impl.engine.SqliteEngineFactory",
                "dev.sqliteengine.micrometer.EngineMeters", "com.zaxxer.hikari.HikariConfig", "org.sqlite.SQLiteConfig",
                "org.slf4j.LoggerFactory", "org.slf4j.impl.SimpleLogger", "org.HdrHistogram.Recorder",
                "io.micrometer.core.instrument.MeterRegistry", "io.micrometer.common.KeyValue",
                "io.micrometer.observation.Observation", "org.jspecify.annotations.Nullable")
                .map(type -> {
                    try {
                        return location(type);
                    } catch (Exception e) {
                        throw new IllegalStateException(type, e);
                    }
                }).distinct().collect(Collectors.joining(File.pathSeparator));
        Path probe = Files.writeString(dir.resolve("Probe.java"), PROBE);
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath, "--add-modules", "dev.sqliteengine.impl,dev.sqliteengine.micrometer",
                probe.toString(), dir.resolve("m.db").toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the probe finished").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("commits=6.0")
                .contains("module=dev.sqliteengine.micrometer micrometer=micrometer.core meters=" + EngineMetersTest.DOCUMENTED.size())
                .contains("after close=0");
    }
}
