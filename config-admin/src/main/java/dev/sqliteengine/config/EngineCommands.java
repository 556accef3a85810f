package dev.sqliteengine.config;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code engine:*} Gogo commands.
 * <p>
 * Each command prints what a person reads to {@code System.out}, which Gogo and Karaf route to
 * the session that runs the command (and, in a pipe, to the next command's input), and returns
 * nothing. A returned value would not do: Karaf's non-interactive shells ({@code bin/client},
 * {@code ssh host command}) print nothing a command only returns, while interactive shells print
 * it, so a command that printed and returned its text would show it twice there. A failure is an
 * exception with a one-line message that starts with the engine's name, which makes
 * {@code bin/client} and the launcher's {@code --run} exit non-zero. Programs use the
 * {@code EngineConfigurations} and {@code Engine} services instead.
 * <p>
 * The Gogo API is only used for annotations, so this component works (and does nothing) without
 * a shell.
 */
@Component(service = EngineCommands.class, property = {
        "osgi.command.scope=engine",
        "osgi.command.function=list",
        "osgi.command.function=info",
        "osgi.command.function=stats",
        "osgi.command.function=create",
        "osgi.command.function=set",
        "osgi.command.function=delete",
        "osgi.command.function=query",
        "osgi.command.function=checkpoint",
        "osgi.command.function=backup"
})
public final class EngineCommands {

    private final EngineConfigurations configurations;
    private final RunningEngines engines;
    private final BundleContext context;

    /**
     * @param configurations the engine configurations in Config Admin
     * @param context finds the running engines
     */
    @Activate
    public EngineCommands(@Reference EngineConfigurations configurations, BundleContext context) {
        this.configurations = configurations;
        this.engines = new RunningEngines(context);
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        engines.close();
    }

    @Descriptor("List the engine configurations with their state: RUNNING, REJECTED (with why) or WAITING")
    public void list() {
        print(EngineReport.list(configurations.list()));
    }

    @Descriptor("Show an engine: state, file and WAL sizes, SQLite version, pools and effective settings")
    public void info(@Descriptor("the engine's name") String name) {
        Optional<EngineConfiguration> configuration = configurations.get(name);
        Optional<EngineStatus> status = engines.status(name);
        if (configuration.isEmpty() && status.isEmpty()) {
            throw noSuchEngine(name);
        }
        print(EngineReport.info(name, configuration, status));
    }

    @Descriptor("Show a running engine's counters and pool figures")
    public void stats(@Descriptor("the engine's name") String name) {
        print(EngineReport.stats(running(name).status()));
    }

    @Descriptor("Create an engine configuration in Config Admin; it is validated before it is stored")
    public void create(
            @Descriptor("the engine's name") String name,
            @Descriptor("the database file, or :memory:") String path,
            @Descriptor("more properties as key=value, for example osgi.connection.max=4 pragma.synchronous=FULL")
            String... settings) {
        Map<String, Object> properties = new LinkedHashMap<>(KeyValues.parse(settings));
        if (properties.containsKey(EngineProperties.PATH)) {
            throw new IllegalArgumentException("[" + name + "] the path is the second argument; do not repeat it as path=...");
        }
        properties.put(EngineProperties.PATH, path);
        EngineConfiguration created = configurations.create(name, properties);
        boolean running = awaitRegistered(name);
        print("[" + name + "] created " + created.pid() + " (" + (running ? "RUNNING"
                : configurations.get(name).map(c -> c.state() + c.rejection().map(r -> ": " + r).orElse(""))
                        .orElse(created.state().toString()) + "; see the log") + "): " + describe(properties));
    }

    @Descriptor("Change a live engine's configuration in Config Admin; key= (no value) restores a default")
    public void set(
            @Descriptor("the engine's name") String name,
            @Descriptor("properties as key=value, for example osgi.connection.max=4") String... settings) {
        Map<String, String> changes = KeyValues.parse(settings);
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("[" + name + "] nothing to set: give key=value pairs");
        }
        Optional<Engine> engine = engines.find(name);
        if (engine.isEmpty() || !changesAnything(engine.get(), changes)) {
            EngineConfiguration updated = configurations.update(name, changes);
            print("[" + name + "] updated " + updated.pid() + ": " + describe(changes));
            return;
        }
        try (ChangeWatch watch = new ChangeWatch(engine.get())) {
            EngineConfiguration updated = configurations.update(name, changes);
            String rejection = watch.awaitOutcome();
            if (rejection != null) {
                throw new EngineException(null, rejection + " (stored in " + updated.pid() + "; the engine keeps its previous settings)");
            }
            print("[" + name + "] updated " + updated.pid() + ": " + describe(changes));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(name, "interrupted while waiting for the change to take effect");
        }
    }

    @Descriptor("Delete an engine configuration; its engine closes")
    public void delete(@Descriptor("the engine's name") String name) {
        if (!configurations.delete(name)) {
            throw noSuchEngine(name);
        }
        print("[" + name + "] deleted");
    }

    @Descriptor("Run one SQL statement: read-only unless --write; rows are shown as a table")
    public void query(
            @Descriptor("run it in a write transaction instead of a read-only unit")
            @Parameter(names = {"-w", "--write"}, presentValue = "true", absentValue = "false") boolean write,
            @Descriptor("the most rows to show")
            @Parameter(names = {"-n", "--limit"}, absentValue = "100") int limit,
            @Descriptor("the engine's name") String name,
            @Descriptor("the SQL statement, quoted") String sql) {
        print(SqlConsole.query(running(name), sql, write, limit));
    }

    @Descriptor("Checkpoint the WAL into the database file and truncate it (PRAGMA wal_checkpoint(TRUNCATE))")
    public void checkpoint(@Descriptor("the engine's name") String name) {
        print(SqlConsole.checkpoint(running(name)));
    }

    @Descriptor("Copy the live database into a new file with SQLite's online backup")
    public void backup(
            @Descriptor("the engine's name") String name,
            @Descriptor("the new file to write") String file) {
        print(SqlConsole.backup(running(name), Path.of(file)));
    }

    /** Prints to the session that runs the command (Gogo's and Karaf's System.out are per session). */
    private static void print(String text) {
        System.out.println(text);
        System.out.flush();
    }

    /** @return whether some change differs from the engine's effective setting (else no event will come) */
    private static boolean changesAnything(Engine engine, Map<String, String> changes) {
        Map<String, Object> current = engine.status().settings();
        return changes.entrySet().stream().anyMatch(c -> c.getValue() == null
                || !c.getValue().equalsIgnoreCase(String.valueOf(current.get(c.getKey()))));
    }

    private boolean awaitRegistered(String name) {
        try {
            return ChangeWatch.awaitRegistered(context, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Engine running(String name) {
        return engines.find(name).orElseThrow(() -> configurations.get(name)
                .map(c -> new EngineException(name, "the engine is not running (" + c.state()
                        + c.rejection().map(r -> ": " + r).orElse("") + ")"))
                .orElseGet(() -> noSuchEngine(name)));
    }

    private static EngineException noSuchEngine(String name) {
        return new EngineException(name, "no engine named " + name + " (engine:list shows them)");
    }

    private static String describe(Map<String, ?> properties) {
        return properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() == null ? "(default)" : ConfigValues.display(Secrets.mask(e.getKey(), e.getValue()))))
                .collect(Collectors.joining(", "));
    }
}
