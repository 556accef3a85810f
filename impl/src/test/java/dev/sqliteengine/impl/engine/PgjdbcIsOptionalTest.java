package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * pgjdbc is optional: the module {@code requires static} it and the Maven dependency is optional,
 * so a SQLite-only application runs without it, and an engine of {@code type=postgresql} is then
 * refused, naming what to add. With pgjdbc on the module path, nothing more is needed (no
 * {@code --add-modules}). Each case runs in a JVM of its own, so the module graph is the real one
 * a user gets.
 */
@ExtendWith(PostgresExtension.class)
class PgjdbcIsOptionalTest {

    @TempDir
    Path dir;

    /** Opens a SQLite engine, then tries one of type=postgresql, and says what happened to each. */
    private static final String PROBE = """
            import dev.sqliteengine.api.*;
            import java.util.*;
            public class Probe {
                public static void main(String[] args) {
                    EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
                    try (Engine engine = factory.create(Map.of("name", "notes", "path", args[0]))) {
                        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
                        System.out.println("sqlite=" + engine.connections().read(c -> {
                            var r = c.createStatement().executeQuery("SELECT count(*) FROM t");
                            r.next();
                            return r.getInt(1);
                        }));
                    }
                    Map<String, Object> orders = Map.of("name", "orders", "type", "postgresql", "url", args[1],
                            "user", args[2], "password", System.getenv("PROBE_PASSWORD"));
                    try {
                        factory.validate(orders);
                        System.out.println("validated");
                    } catch (ConfigurationException e) {
                        System.out.println("validate refused " + e.property() + ": " + e.getMessage());
                    }
                    try (Engine engine = factory.create(orders)) {
                        System.out.println("postgresql=" + engine.connections().read(c -> {
                            var r = c.createStatement().executeQuery("SELECT current_user");
                            r.next();
                            return r.getString(1);
                        }));
                    } catch (ConfigurationException e) {
                        System.out.println("create refused " + e.property() + ": " + e.getMessage());
                    }
                    System.out.println("pgjdbc module resolved=" + ModuleLayer.boot().findModule("org.postgresql.jdbc").isPresent());
                }
            }
            """;

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(type.getName(), e);
        }
    }

    /** The engine's jars: api, impl, HikariCP, sqlite-jdbc, slf4j, HdrHistogram, and pgjdbc when asked. */
    private static String path(boolean withPgjdbc) {
        Stream<Class<?>> jars = Stream.of(Engine.class, SqliteEngineFactory.class, HikariConfig.class, SQLiteConfig.class,
                LoggerFactory.class, org.HdrHistogram.Recorder.class);
        if (withPgjdbc) {
            jars = Stream.concat(jars, Stream.of(org.postgresql.Driver.class));
        }
        return jars.map(PgjdbcIsOptionalTest::location).distinct().collect(Collectors.joining(File.pathSeparator));
    }

    private String run(PostgresDatabase database, String... pathOptions) throws Exception {
        Path probe = Files.writeString(dir.resolve("Probe.java"), PROBE);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(pathOptions));
        command.addAll(List.of(probe.toString(), dir.resolve("notes.db").toString(), database.jdbcUrl(), database.user()));
        Path out = dir.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("PROBE_PASSWORD", database.password());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe finished").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void withoutPgjdbcOnTheModulePathSqliteRunsAndPostgresqlIsRefusedNamingTheModule(PostgresDatabase database)
            throws Exception {
        String output = run(database, "--module-path", path(false), "--add-modules", "dev.sqliteengine.impl");

        assertThat(output).contains("sqlite=0", "pgjdbc module resolved=false").doesNotContain("postgresql=")
                .doesNotContain(database.password());
        for (String step : new String[] {"validate", "create"}) {
            assertThat(output).contains(step + " refused type: [orders] type=postgresql is invalid: an engine of"
                    + " type=postgresql needs pgjdbc, PostgreSQL's JDBC driver (Maven org.postgresql:postgresql");
        }
        assertThat(output).contains("on the module path add the module org.postgresql.jdbc");
    }

    @Test
    void withoutPgjdbcOnTheClassPathSqliteRunsAndPostgresqlIsRefusedNamingTheJar(PostgresDatabase database)
            throws Exception {
        String output = run(database, "-cp", path(false));

        assertThat(output).contains("sqlite=0", "create refused type: [orders] type=postgresql is invalid",
                "org.postgresql:postgresql").doesNotContain("postgresql=");
    }

    @Test
    void withPgjdbcOnTheModulePathAnEngineOfTypePostgresqlNeedsNothingMore(PostgresDatabase database) throws Exception {
        // no --add-modules org.postgresql.jdbc: an automatic module is resolved with the others
        String output = run(database, "--module-path", path(true), "--add-modules", "dev.sqliteengine.impl");

        assertThat(output).contains("sqlite=0", "validated", "postgresql=" + database.user(), "pgjdbc module resolved=true")
                .doesNotContain("refused");
    }
}
