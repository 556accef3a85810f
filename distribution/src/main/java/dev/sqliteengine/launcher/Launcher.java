package dev.sqliteengine.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code java -jar sqlite-engine.jar [--home DIR] [--clean] [--web [PORT]] [--run COMMAND]...}
 * <p>
 * Without {@code --run}: starts the container and the interactive Gogo shell; {@code exit},
 * Ctrl-D or SIGTERM stop it cleanly. With {@code --run}: starts the container, waits for the
 * configured engines, runs each command in order, prints its result, stops,
 * and exits 0, or 1 at the first command that fails, for scripts and CI. With {@code --clean}:
 * forgets what Config Admin stored (engines made in the shell) and starts from {@code HOME/conf}.
 * With {@code --web [PORT]}: also the Apache Felix Web Console on 127.0.0.1 ({@link WebConsole}).
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path home = Path.of(System.getProperty("sqliteengine.home", "sqlite-engine"));
        String frameworkFactory = null;
        boolean clean = false;
        Optional<WebConsole> web = Optional.empty();
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (arg) {
                case "--home" -> {
                    if (!hasValue) {
                        return usage("--home needs a folder");
                    }
                    home = Path.of(args[++i]);
                }
                case "--clean" -> clean = true;
                case "--web" -> {
                    int port = WebConsole.DEFAULT_PORT;
                    if (hasValue && !args[i + 1].startsWith("-")) {
                        String value = args[++i];
                        try {
                            port = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            return usage("--web PORT must be a TCP port from 1 to 65535, not '" + value + "'");
                        }
                    }
                    try {
                        web = Optional.of(new WebConsole(port));
                    } catch (IllegalArgumentException e) {
                        return usage(e.getMessage());
                    }
                }
                case "--run", "-c" -> {
                    if (!hasValue) {
                        return usage(arg + " needs a shell command");
                    }
                    commands.add(args[++i]);
                }
                case "--framework" -> {
                    if (!hasValue) {
                        return usage("--framework needs a FrameworkFactory class name");
                    }
                    frameworkFactory = args[++i];
                }
                case "--help", "-h" -> {
                    usage(null);
                    return 0;
                }
                default -> {
                    return usage("unknown argument: " + arg);
                }
            }
        }
        quietDefaults();
        // The JVM's own streams, taken before Gogo's ThreadIO replaces System.out and System.err
        // with streams that follow each command's session: a session whose output were that
        // replacement would write into itself when a command prints.
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;

        boolean interactive = commands.isEmpty();
        Container container = new Container(home.toAbsolutePath().normalize(), frameworkFactory, interactive, clean, web);
        // SIGTERM and Ctrl-C: stop the framework, so every engine drains, checkpoints and closes.
        Thread hook = new Thread(container::stop, "sqlite-engine-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            container.start();
            if (interactive) {
                container.awaitStop();
                return 0;
            }
            return new CommandRunner(container.context(), stdout, stderr)
                    .run(commands);
        } catch (Exception e) {
            System.err.println("sqlite-engine: " + e.getMessage());
            return 1;
        } finally {
            container.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    /** Engine logs at INFO, HikariCP's pool start and stop lines only at WARN; overridable with -D. */
    private static void quietDefaults() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        // --web: Jetty's start lines at WARN (the launcher says where the console is); the Web
        // Console 5.0.8 warns about its own javax plugins ("Legacy webconsole plugin found"),
        // which the operator can do nothing about: ERROR only
        setIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.felix.http", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.felix.webconsole", "error");
        // Config Admin's interpolation plugin names its secrets folder at every start, which
        // docs/running.md says once
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.felix.configadmin.plugin.interpolation", "warn");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static int usage(String problem) {
        if (problem != null) {
            System.err.println("sqlite-engine: " + problem);
        }
        System.err.println("usage: java -jar sqlite-engine.jar [--home DIR] [--clean] [--web [PORT]] [--run COMMAND]...");
        System.err.println("  --home DIR     where conf/, data/, config-admin/ and the framework cache live");
        System.err.println("                 (default: ./sqlite-engine)");
        System.err.println("  --clean        forget what Config Admin stored (engines made with engine:create)");
        System.err.println("                 and start from the .cfg files in conf/; databases stay");
        System.err.println("  --web [PORT]   also start the web console on http://127.0.0.1:PORT/system/console");
        System.err.println("                 and Prometheus metrics on http://127.0.0.1:PORT/metrics");
        System.err.println("                 (default port " + WebConsole.DEFAULT_PORT + "; user admin, password admin: change it)");
        System.err.println("  --run COMMAND  run a Gogo command (repeatable) instead of the interactive shell;");
        System.err.println("                 exits 1 at the first command that fails");
        return problem == null ? 0 : 2;
    }
}
