package dev.sqliteengine.launcher;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The container as a user starts it: a separate JVM, its output collected as it comes, its
 * input a pipe the test writes to. Used by the distribution tests, on Felix and on Equinox.
 */
final class ContainerProcess implements AutoCloseable {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread pump;
    private int attempts;

    private ContainerProcess(Process process) {
        this.process = process;
        this.pump = pump(process.getInputStream());
    }

    /** The executable jar, with Felix, as {@code java -jar} runs it. */
    static ContainerProcess felix(Path home, String... args) throws IOException {
        return felix(home, Map.of(), args);
    }

    /** The executable jar, with Felix, with more environment variables than the test's own. */
    static ContainerProcess felix(Path home, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-ea:dev.sqliteengine...", "-jar", System.getProperty("distribution.jar"),
                "--home", home.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new ContainerProcess(builder.start());
    }

    /** The same launcher and bundles on Eclipse Equinox instead of Felix. */
    static ContainerProcess equinox(Path home, String... args) throws IOException {
        Path bundles = Path.of(System.getProperty("bundles.dir"));
        String classPath = bundles.getParent() + java.io.File.pathSeparator + location(org.eclipse.osgi.launch.EquinoxFactory.class);
        List<String> command = new ArrayList<>(List.of(java(), "-ea:dev.sqliteengine...", "-cp", classPath, Launcher.class.getName(),
                "--framework", "org.eclipse.osgi.launch.EquinoxFactory", "--home", home.toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    private static ContainerProcess start(List<String> command) throws IOException {
        return new ContainerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Thread pump(InputStream in) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "container-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    String output() {
        return output.toString();
    }

    void awaitOutput(String text) {
        // Starting Felix with the web bundles takes seconds on a quiet machine and far longer on a
        // loaded one: the bound is generous, and a timeout shows what the container printed.
        try {
            await().atMost(Duration.ofSeconds(180)).until(() -> output.indexOf(text) >= 0 || !process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the container did not print '" + text + "' within 180 s:\n" + output
                    + "\nits threads:\n" + threadDump(), e);
        }
        if (output.indexOf(text) < 0) {
            throw new AssertionError("the container ended without printing '" + text + "':\n" + output);
        }
    }

    /** @return the container's threads as {@code jstack} shows them, for a failure's message */
    private String threadDump() {
        Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
        try {
            Process dump = new ProcessBuilder(jstack.toString(), String.valueOf(process.pid())).redirectErrorStream(true).start();
            byte[] out = dump.getInputStream().readAllBytes();
            dump.waitFor();
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    void type(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Types a shell command until its answer matches: each attempt prints a numbered marker first
     * and takes the output between that marker and the next prompt as the answer.
     *
     * @return the answer that matched
     */
    String awaitShell(String command, Pattern expected) {
        String[] last = {""};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String marker = "---answer-" + (++attempts) + "---";
            type("echo " + marker + "; " + command);
            await().atMost(Duration.ofSeconds(60)).until(() -> answer(output(), marker) != null);
            last[0] = answer(output(), marker);
            return expected.matcher(last[0]).find();
        });
        return last[0];
    }

    /** @return the output after the marker's last occurrence up to the next prompt, or null while the command runs */
    private static String answer(String output, String marker) {
        int start = output.lastIndexOf(marker);
        int end = start < 0 ? -1 : output.indexOf("g! ", start);
        return end < 0 ? null : output.substring(start + marker.length(), end);
    }

    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    void terminate() {
        // SIGTERM. Not Process.destroy(): that also closes our end of the output pipe, and the
        // container's last lines (its clean shutdown) would be lost.
        process.toHandle().destroy();
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the container did not exit:\n" + output);
        }
        pump.join(10_000); // the output ends when the process closed it: read it all
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** @return a TCP port free on this machine now, for a container's --web */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Opens the database as another program would: exclusively, which fails while anyone holds it. */
    static String integrityWithExclusiveLock(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA locking_mode=EXCLUSIVE");
            s.execute("BEGIN EXCLUSIVE");
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                r.next();
                String result = r.getString(1);
                s.execute("COMMIT");
                return result;
            }
        }
    }
}
