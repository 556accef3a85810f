package dev.sqliteengine.karaf;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A stock Apache Karaf in a folder of its own, driven the way its users drive it: {@code bin/start},
 * {@code bin/client} in batch mode (one SSH session per call, the commands on its standard input,
 * exit code 1 at the first command that fails) and {@code bin/stop}. The test learns what it
 * learns from the commands' output and exit codes, the files in {@code etc/} and {@code data/}, and
 * {@code data/log/karaf.log}; nothing reaches into the container.
 *
 * <p>{@code bin/start} detaches Karaf, so the JVM is found through the {@code karaf.pid} file that
 * Karaf writes. {@link #close()} stops it with {@code bin/stop} whatever happened before, and
 * kills it only if it has not stopped after {@value #STOP_SECONDS} seconds; a shutdown hook does
 * the same if the test JVM itself is stopped.
 */
final class Karaf implements AutoCloseable {

    /** The user that {@code etc/users.properties} ships commented out, and its password. */
    static final String USER = "karaf";
    static final String PASSWORD = "karaf";

    private static final String HOST = "127.0.0.1";
    private static final int STOP_SECONDS = 60;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
    /**
     * JIT and GC settings for Karaf's JVMs: they start faster this way on two shared cores (a
     * fresh Karaf with the jdbc feature boots in about 12 s instead of 18), and nothing runs long
     * enough here to gain from the optimising compiler.
     */
    private static final String QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -ea:dev.sqliteengine...";
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final Pattern RETRYING = Pattern.compile("(?m)^retrying \\(attempt \\d+\\) \\.\\.\\.\\R");

    private final Path home;
    private final int port;
    private ProcessHandle jvm;
    private Thread killer;

    private Karaf(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /**
     * Copies an unpacked distribution into {@code home}, replacing whatever a previous run left
     * there, so every run starts from the stock files.
     */
    static Karaf copyOf(Path distribution, Path home) throws IOException {
        if (!Files.isRegularFile(distribution.resolve("bin").resolve("karaf"))) {
            throw new IllegalStateException("no unpacked Karaf at " + distribution + " (the build unpacks it in pre-integration-test)");
        }
        deleteTree(home);
        try (Stream<Path> files = Files.walk(distribution)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = home.resolve(distribution.relativize(from).toString());
                if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES); // keeps bin/* executable
                }
            }
        }
        return new Karaf(home, freeLoopbackPort());
    }

    Path home() {
        return home;
    }

    Path etc(String file) {
        return home.resolve("etc").resolve(file);
    }

    Path data() {
        return home.resolve("data");
    }

    int sshPort() {
        return port;
    }

    // --- Configuration, before the first start -------------------------------------------------

    /**
     * Uncomments the {@code karaf} user and its admin group in {@code etc/users.properties}: the
     * {@code sed -i -e 's/^#karaf = /karaf = /' -e 's/^#_g_/_g_/'}.
     */
    void enableKarafUser() throws IOException {
        edit(etc("users.properties"), text -> text
                .replaceFirst("(?m)^#karaf = ", "karaf = ")
                .replaceFirst("(?m)^#_g_", "_g_"));
    }

    /**
     * SSH on the loopback interface only (docs/karaf.md's {@code sed}), and on {@link #sshPort()}
     * instead of 8101.
     */
    void sshOnLoopback() throws IOException {
        edit(etc("org.apache.karaf.shell.cfg"), text -> text
                .replaceFirst("(?m)^sshHost = .*$", "sshHost = " + HOST)
                .replaceFirst("(?m)^sshPort = .*$", "sshPort = " + port));
    }

    /** Removes a feature from {@code featuresBoot}, for example {@code management} (JMX over RMI ports). */
    void withoutBootFeature(String name) throws IOException {
        edit(etc("org.apache.karaf.features.cfg"), text -> text
                .replaceFirst("(?m)^\\s*" + Pattern.quote(name) + "/[^,\\s]*,\\s*\\\\\\R", ""));
    }

    /**
     * Lets Karaf resolve {@code mvn:} URLs from a folder in Maven's layout before anything else,
     * as one of pax-url's default repositories (read in place, never copied into a local repository).
     */
    void preferMavenRepository(Path repository) throws IOException {
        String entry = repository.toUri() + "@id=sqlite-engine.build@snapshots";
        edit(etc("org.ops4j.pax.url.mvn.cfg"), text -> text
                .replaceFirst("(?m)^(org\\.ops4j\\.pax\\.url\\.mvn\\.defaultRepositories\\s*=\\s*\\\\)$",
                        "$1\n    " + Matcher.quoteReplacement(entry) + ", \\\\"));
    }

    private static void edit(Path file, UnaryOperator<String> change) throws IOException {
        String before = Files.readString(file);
        String after = change.apply(before);
        if (after.equals(before)) {
            throw new IllegalStateException(file + " is not as Karaf ships it: nothing to change");
        }
        Files.writeString(file, after);
    }

    // --- Life cycle ----------------------------------------------------------------------------

    /** {@code bin/start}, then waits until the Karaf JVM has written its pid. */
    void start() throws IOException, InterruptedException {
        Files.deleteIfExists(home.resolve("karaf.pid"));
        Process start = script("start")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("start.out").toFile()))
                .start();
        if (!start.waitFor(60, TimeUnit.SECONDS) || start.exitValue() != 0) {
            start.destroyForcibly();
            throw new AssertionError("bin/start failed:\n" + read(home.resolve("start.out")));
        }
        jvm = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(this::ownJvm, Optional::isPresent).get();
        killer = new Thread(this::kill, "kill-karaf");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    boolean running() {
        return jvm != null && jvm.isAlive();
    }

    /**
     * {@code bin/stop}, then waits for the JVM whose pid is in {@code karaf.pid} to exit (the
     * {@code kill -0} loop of docs/karaf.md): {@code bin/stop} only asks Karaf to stop, and a
     * {@code bin/start} while the old JVM still runs would refuse to start.
     */
    void stop() throws IOException, InterruptedException {
        if (!running()) {
            return;
        }
        Process stop = script("stop")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("stop.out").toFile()))
                .start();
        if (!stop.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            stop.destroyForcibly();
            throw new AssertionError("bin/stop did not return in " + STOP_SECONDS + " s");
        }
        try {
            jvm.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("Karaf did not stop within " + STOP_SECONDS + " s of bin/stop:\n" + logTail());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        jvm = null;
        if (killer != null) {
            Runtime.getRuntime().removeShutdownHook(killer);
            killer = null;
        }
    }

    /** Stops Karaf with {@code bin/stop} if it runs, and kills it only if that did not work. */
    @Override
    public void close() throws Exception {
        if (jvm == null) { // a start that failed half-way may still have left a JVM behind
            jvm = ownJvm().orElse(null);
        }
        try {
            stop();
        } finally {
            kill();
        }
    }

    private void kill() {
        ProcessHandle karaf = jvm;
        if (karaf != null && karaf.isAlive()) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
        }
    }

    // --- The shell -----------------------------------------------------------------------------

    /** What one {@code bin/client} call printed, without colours, and its exit code. */
    record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + output;
        }
    }

    /**
     * Runs {@code bin/client -b} with the given commands on its standard input, one a line, in one
     * SSH session: the {@code k} function of docs/karaf.md. {@code -r 30} waits for the SSH server after a
     * start.
     */
    Result client(String... commands) throws IOException, InterruptedException {
        if (!running()) {
            throw new AssertionError("Karaf is not running:\n" + logTail());
        }
        Path out = Files.createTempFile(home, "client", ".out");
        ProcessBuilder builder = script("client", "-a", String.valueOf(port), "-h", HOST, "-u", USER, "-p", PASSWORD,
                "-r", "30", "-b").redirectOutput(out.toFile());
        builder.environment().put("JAVA_OPTS", QUICK_JVM); // bin/client reads JAVA_OPTS, bin/start EXTRA_JAVA_OPTS
        Process client = builder.start();
        try (var in = client.getOutputStream()) {
            in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!client.waitFor(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("bin/client did not return in " + CALL_TIMEOUT.toSeconds() + " s for "
                    + List.of(commands) + ":\n" + read(out));
        }
        String output = RETRYING.matcher(ANSI.matcher(read(out)).replaceAll("")).replaceAll("");
        Files.delete(out);
        return new Result(client.exitValue(), output);
    }

    // --- The log -------------------------------------------------------------------------------

    Path log() {
        return data().resolve("log").resolve("karaf.log");
    }

    /** @return the log's length now, to read what comes after with {@link #logSince(long)} */
    long logMark() throws IOException {
        return Files.exists(log()) ? Files.size(log()) : 0;
    }

    String logSince(long mark) throws IOException {
        byte[] all = Files.readAllBytes(log());
        return new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark), StandardCharsets.UTF_8);
    }

    String logTail() {
        try {
            List<String> lines = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(karaf.log unreadable: " + e + ")";
        }
    }

    // --- Helpers -------------------------------------------------------------------------------

    private ProcessBuilder script(String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve(name).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK that runs the build
        env.remove("JAVA_OPTS");
        env.put("EXTRA_JAVA_OPTS", QUICK_JVM);
        env.put("KARAF_REDIRECT", home.resolve("karaf.out").toString()); // bin/start's console output
        return builder;
    }

    /** The live JVM whose pid is in {@code karaf.pid}, if its command line names this Karaf's home. */
    private Optional<ProcessHandle> ownJvm() {
        Path pidFile = home.resolve("karaf.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(p -> p.info().arguments().stream().flatMap(Stream::of)
                    .anyMatch(arg -> arg.startsWith("-Dkaraf.base=") && isHome(arg.substring("-Dkaraf.base=".length()))));
        } catch (IOException | NumberFormatException missingOrBeingWritten) {
            return Optional.empty();
        }
    }

    private boolean isHome(String path) {
        try {
            return Files.isSameFile(Path.of(path), home);
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
