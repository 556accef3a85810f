package dev.sqliteengine.config;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineFailures;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

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
        "osgi.command.function=backup",
        "osgi.command.function=restore"
})
public final class EngineCommands {

    private static final long POLL_MILLIS = 50;

    private final EngineConfigurations configurations;
    private final EngineFactory factory;
    private final RunningEngines engines;
    private final BundleContext context;

    /** Why engines failed to open, from the impl bundle; optional, as for EngineConfigurationsService. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EngineFailures failures;

    /**
     * @param configurations the engine configurations in Config Admin
     * @param factory validates settings with the impl's rules
     * @param context finds the running engines, and the framework properties of {@link ShellPaths}
     */
    @Activate
    public EngineCommands(@Reference EngineConfigurations configurations, @Reference EngineFactory factory,
            BundleContext context) {
        this.configurations = configurations;
        this.factory = factory;
        this.engines = new RunningEngines(context);
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        engines.close();
    }

    @Descriptor("List the engine configurations with their state: RUNNING, REJECTED or FAILED (with why), or WAITING")
    public void list() {
        print(EngineReport.list(configurations.list()));
    }

    @Descriptor("Show an engine: state, file and WAL sizes (or its server's URL), SQLite's or the server's version, pools,"
            + " health checks and effective settings")
    public void info(@Descriptor("the engine's name") String name) {
        Optional<EngineConfiguration> configuration = configurations.get(name);
        Optional<EngineStatus> status = engines.status(name);
        if (configuration.isEmpty() && status.isEmpty()) {
            throw noSuchEngine(name);
        }
        print(EngineReport.info(name, configuration, status, engines.health(name)));
    }

    @Descriptor("Show a running engine's counters, pools, writer queue, latencies (p50/p99/max over the last minute),"
            + " errors by SQLite result code (by SQLSTATE on PostgreSQL) and WAL")
    public void stats(@Descriptor("the engine's name") String name) {
        print(EngineReport.stats(running(name).status()));
    }

    @Descriptor("Create an engine configuration in Config Admin; it is validated before it is stored. A relative"
            + " path resolves against the data folder (framework property " + ShellPaths.DATA_DIR + ")")
    public void create(
            @Descriptor("the engine's name") String name,
            @Descriptor("the database file (or :memory:) as path=FILE or as one argument of its own, and more"
                    + " properties as key=value, for example osgi.connection.max=4 pragma.synchronous=FULL")
            String... arguments) {
        Map<String, Object> properties = new LinkedHashMap<>(arguments(name, () -> KeyValues.parseWithPath(arguments)));
        properties.computeIfPresent(EngineProperties.PATH, (key, path) -> paths().databasePath((String) path));
        long since = System.currentTimeMillis();
        EngineConfiguration created = configurations.create(name, properties);
        EngineConfiguration outcome = awaitOutcome(name, created.pid(), since).orElse(created);
        print("[" + name + "] created " + created.pid() + " (" + state(name, "created " + created.pid(), outcome)
                + "): " + describe(properties));
    }

    @Descriptor("Change an engine's configuration in Config Admin; a running engine applies it live; key= (no"
            + " value) restores a default. A relative path resolves against the data folder")
    public void set(
            @Descriptor("the engine's name") String name,
            @Descriptor("properties as key=value, for example osgi.connection.max=4") String... settings) {
        Map<String, String> changes = new LinkedHashMap<>(arguments(name, () -> KeyValues.parse(settings)));
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("[" + name + "] nothing to set: give key=value pairs");
        }
        changes.computeIfPresent(EngineProperties.PATH, (key, path) -> paths().databasePath(path));
        Optional<Engine> engine = engines.find(name);
        if (engine.isEmpty()) {
            long since = System.currentTimeMillis();
            EngineConfiguration updated = configurations.update(name, changes);
            EngineConfiguration outcome = awaitOutcome(name, updated.pid(), since).orElse(updated);
            print("[" + name + "] updated " + updated.pid() + ": " + describe(changes) + " ("
                    + state(name, "updated " + updated.pid(), outcome) + ")");
            return;
        }
        Map<String, Object> effective = engine.get().status().settings();
        if (!changesEngine(effective, changes)) {
            // No event will come, as the engine has nothing to do: answer at once. The store
            // still gets the change if it means something there (Config Admin's copy may differ).
            EngineConfiguration updated = configurations.update(name, changes);
            print(effective.keySet().containsAll(changes.keySet())
                    ? "[" + name + "] nothing to change: the engine runs with " + describe(changes) + " already"
                    : "[" + name + "] updated " + updated.pid() + ": " + describe(changes) + " (no engine setting changes)");
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

    @Descriptor("Checkpoint the WAL into the database file and truncate it (PRAGMA wal_checkpoint(TRUNCATE)); SQLite only")
    public void checkpoint(@Descriptor("the engine's name") String name) {
        print(SqlConsole.checkpoint(running(name)));
    }

    @Descriptor("Copy the live database into a new file, readable by its owner only, with SQLite's online backup;"
            + " SQLite only (a PostgreSQL server is backed up with pg_dump or pg_basebackup)")
    public void backup(
            @Descriptor("the engine's name") String name,
            @Descriptor("the new file to write; a relative path resolves against the data folder") String file) {
        Engine engine = running(name);
        ShellPaths paths = paths();
        print(SqlConsole.backup(engine, arguments(name, () -> paths.file(file)), paths));
    }

    @Descriptor("Replace the live database with a backup (checked with PRAGMA integrity_check first); the engine's"
            + " services stay registered, new work waits during the copy")
    public void restore(
            @Descriptor("the engine's name") String name,
            @Descriptor("the backup file; a relative path resolves against the data folder") String file) {
        Engine engine = running(name);
        ShellPaths paths = paths();
        print(SqlConsole.restore(engine, arguments(name, () -> paths.file(file)), paths));
    }

    /** Prints to the session that runs the command (Gogo's and Karaf's System.out are per session). */
    private static void print(String text) {
        System.out.println(text);
        System.out.flush();
    }

    private ShellPaths paths() {
        return ShellPaths.of(context);
    }

    /** Parses arguments; a mistake is reported with the engine's name in front, as every message is. */
    private static <T> T arguments(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + name + "] " + e.getMessage(), e);
        }
    }

    /**
     * Whether the engine's effective settings would differ after the changes: the impl's own
     * validation types and spells them ({@code pragma.foreign_keys=1} is {@code ON}).
     *
     * @return true as well when the changes do not validate (the update will say why), and when
     *         they change a secret
     */
    private boolean changesEngine(Map<String, Object> effective, Map<String, String> changes) {
        if (changes.keySet().stream().anyMatch(Secrets::isSecret)) {
            // Secrets are never among the effective settings, so only the engine can tell: a new
            // password opens a new pool generation, or is rejected (refused by the server)
            return true;
        }
        Map<String, Object> after = new LinkedHashMap<>(effective);
        changes.forEach((key, value) -> {
            if (value == null) {
                after.remove(key);
            } else {
                after.put(key, value);
            }
        });
        try {
            return !factory.validate(after).equals(effective);
        } catch (EngineException e) {
            return true;
        }
    }

    /**
     * Waits, at most {@link ChangeWatch#WAIT_MILLIS}, until the engine runs or the configuration
     * turns out REJECTED, or FAILED since {@code since}.
     *
     * @return the configuration as it is then, or empty if it is gone
     */
    private Optional<EngineConfiguration> awaitOutcome(String name, String pid, long since) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ChangeWatch.WAIT_MILLIS);
        while (true) {
            Optional<EngineConfiguration> now = configurations.get(name);
            State state = now.map(EngineConfiguration::state).orElse(null);
            boolean freshFailure = state == State.FAILED && Optional.ofNullable(failures)
                    .flatMap(f -> f.get(pid)).map(f -> f.timestamp() >= since).orElse(true);
            if (now.isEmpty() || state == State.RUNNING || state == State.REJECTED || freshFailure
                    || System.nanoTime() > deadline) {
                return now;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
        }
    }

    /**
     * @return the state to show after a change that was stored
     * @throws EngineException when the engine REJECTED or FAILED it, so that scripts stop there
     */
    private static String state(String name, String done, EngineConfiguration outcome) {
        return switch (outcome.state()) {
            case RUNNING -> "RUNNING";
            case REJECTED, FAILED -> throw new EngineException(name, done + ", but the engine " + outcome.state() + ": "
                    + EngineReport.withoutName(name, outcome.rejection().orElse("")) + " (engine:set changes the configuration,"
                    + " engine:delete removes it)");
            case WAITING -> "WAITING: no engine after " + ChangeWatch.WAIT_MILLIS / 1000 + " s; see the log";
        };
    }

    private Engine running(String name) {
        return engines.find(name).orElseThrow(() -> configurations.get(name)
                .map(c -> new EngineException(name, "the engine is not running (" + c.state()
                        + c.rejection().map(r -> ": " + r).orElse("") + ")"))
                .orElseGet(() -> noSuchEngine(name)));
    }

    private static EngineException noSuchEngine(String name) {
        return new EngineException(name, "no engine named " + TerminalText.escape(name) + " (engine:list shows them)");
    }

    private static String describe(Map<String, ?> properties) {
        return properties.entrySet().stream()
                .map(e -> TerminalText.oneLine(e.getKey()) + "=" + (e.getValue() == null ? "(default)"
                        : TerminalText.oneLine(ConfigValues.display(Secrets.mask(e.getKey(), e.getValue())))))
                .collect(Collectors.joining(", "));
    }
}
