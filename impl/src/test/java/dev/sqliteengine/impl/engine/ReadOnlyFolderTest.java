package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import dev.sqliteengine.api.Engine;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The database's folder made read-only under a running engine. Permissions do not bind root, so
 * the engine runs in a JVM of an unprivileged user ({@code nobody}, through {@code runuser}); the
 * test needs root to do that, as the CI machine is.
 * <p>
 * With a rollback journal every write transaction creates a journal file in the folder: that
 * fails, and the write unit must fail clearly, keep what was committed, and succeed again once
 * the folder is writable. (In WAL mode the -wal and -shm files exist already, so writes go on.)
 */
class ReadOnlyFolderTest {

    private static final String RUNUSER = "/usr/sbin/runuser";

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the class path where the unprivileged user can read it: a build folder may be private. */
    private static String readableClassPath(Path into) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (Class<?> type : List.of(Engine.class, FolderWriter.class, SqliteEngine.class, HikariConfig.class,
                SQLiteConfig.class, LoggerFactory.class, org.HdrHistogram.Recorder.class)) {
            Path source = location(type);
            Path target = into.resolve(String.valueOf(n++)).resolve(source.getFileName());
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path t = target.resolve(source.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t);
                        }
                    }
                }
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        try (Stream<Path> all = Files.walk(into)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    @Test
    void aFolderMadeReadOnlyFailsWritesClearlyKeepsTheDataAndTheEngineRecovers() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of(RUNUSER)),
                "needs root and runuser to run the engine as an unprivileged user");
        Path base = Files.createTempDirectory("sqlite-engine-ro-");
        try {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            String classPath = readableClassPath(Files.createDirectories(base.resolve("cp")));
            Path folder = Files.createDirectories(base.resolve("db"));
            Files.setOwner(folder, folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

            Process engine = new ProcessBuilder(RUNUSER, "-u", "nobody", "--",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-ea:dev.sqliteengine...", "-Dorg.slf4j.simpleLogger.defaultLogLevel=off", "-cp", classPath, FolderWriter.class.getName(),
                    folder.resolve("x.db").toString(), "DELETE").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter in = new PrintWriter(engine.getOutputStream(), true, StandardCharsets.UTF_8)) {
                assertThat(out.readLine()).isEqualTo("ready");
                in.println("write");
                assertThat(out.readLine()).isEqualTo("ok");

                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
                in.println("write");
                assertThat(out.readLine())
                        .startsWith("error ConnectionException [folder] ")
                        .contains("folder");
                in.println("count");
                assertThat(out.readLine()).isEqualTo("count 1");

                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
                in.println("write");
                assertThat(out.readLine()).isEqualTo("ok");
                in.println("count");
                assertThat(out.readLine()).isEqualTo("count 2");
            }
            assertThat(engine.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.exitValue()).isZero();
        } finally {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
