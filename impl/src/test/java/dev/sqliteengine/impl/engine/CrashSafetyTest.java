package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import dev.sqliteengine.api.Engine;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Kills a JVM that writes through the engine with SIGKILL at a random moment, then checks that
 * every commit it acknowledged is in the file and the file is intact. The default profile
 * ({@code synchronous=NORMAL} in WAL) survives an application crash; surviving a power loss needs
 * {@code synchronous=FULL}, which a process kill cannot test.
 */
class CrashSafetyTest {

    @TempDir
    Path dir;

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @RepeatedTest(20)
    void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
        Path file = dir.resolve("crash.db");
        String classPath = Stream.of(Engine.class, CrashWriter.class, SqliteEngine.class, HikariConfig.class,
                SQLiteConfig.class, LoggerFactory.class, org.HdrHistogram.Recorder.class).map(CrashSafetyTest::location).distinct()
                .collect(Collectors.joining(File.pathSeparator));
        Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-ea:dev.sqliteengine...", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, CrashWriter.class.getName(),
                file.toString(), "NORMAL").redirectError(ProcessBuilder.Redirect.DISCARD).start();

        // Kill after a random number of acknowledged commits: the moment is random, the wait is on output.
        int killAfter = ThreadLocalRandom.current().nextInt(20, 400);
        long lastAcknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lastAcknowledged = Long.parseLong(line.trim());
                if (lastAcknowledged >= killAfter) {
                    victim.destroyForcibly(); // SIGKILL on Linux
                    break;
                }
            }
        }
        assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lastAcknowledged).as("acknowledged commits before the kill").isGreaterThanOrEqualTo(killAfter);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (ResultSet r = c.createStatement().executeQuery("PRAGMA integrity_check")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("ok");
            }
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM acked WHERE id <= ?")) {
                s.setLong(1, lastAcknowledged);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    assertThat(r.getLong(1)).as("acknowledged ids present").isEqualTo(lastAcknowledged);
                }
            }
        }
    }
}
