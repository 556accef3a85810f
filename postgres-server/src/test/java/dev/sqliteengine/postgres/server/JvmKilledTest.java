package dev.sqliteengine.postgres.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class JvmKilledTest {

    @Test
    void aServerStopsWhenTheJvmThatStartedItIsKilledAndALaterStartSweepsItsFolder() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(LaunchAndWait.class, PostgresPrimary.class, PGSimpleDataSource.class),
                LaunchAndWait.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<String, String> said = new HashMap<>();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            while (said.size() < 3) {
                String line = output.readLine();
                if (line == null) {
                    break; // the JVM ended early: the assertion below shows what it said
                }
                String[] pair = line.split("=", 2);
                said.put(pair[0], pair.length == 2 ? pair[1] : "");
            }
        } finally {
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
        }
        assertThat(said).containsKeys("port", "folder", "postmaster");
        assertThat(jvm.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(jvm.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        int port = Integer.parseInt(said.get("port"));
        long postmaster = Long.parseLong(said.get("postmaster"));
        Path folder = Path.of(said.get("folder"));

        Awaitility.await().atMost(1, TimeUnit.MINUTES)
                .until(() -> !accepts(port) && ProcessHandle.of(postmaster).isEmpty());
        assertThat(folder).as("no JVM was left to delete it").isDirectory();

        BaseFolder.prepare(ServerAccount.forThisProcess()).sweep();

        assertThat(folder).doesNotExist();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket(PostgresServer.HOST, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The folders and jars the classes come from (test classes are patched into the module, so no property lists them). */
    private static String classPath(Class<?>... classes) {
        return Stream.of(classes).map(JvmKilledTest::root).distinct().collect(Collectors.joining(File.pathSeparator));
    }

    private static String root(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        URL url = type.getClassLoader().getResource(resource);
        try {
            if (url.getProtocol().equals("jar")) {
                String jar = url.getPath().substring(0, url.getPath().indexOf("!/"));
                return Path.of(new URL(jar).toURI()).toString();
            }
            String file = Path.of(url.toURI()).toString();
            return file.substring(0, file.length() - resource.length());
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError("cannot find where " + type + " comes from: " + url, e);
        }
    }
}
