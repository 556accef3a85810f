package dev.sqliteengine.config;

import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The text of {@code engine:list}, {@code engine:info} and {@code engine:stats} (whose figures
 * {@link FiguresReport} lays out). Secret values
 * are masked here too, whatever the engine reports, and every value is shown escaped
 * ({@link TerminalText}). An engine of {@code type=postgresql} shows its server's URL where a
 * SQLite engine shows its file, the server's version, and no file or WAL sizes, which are the
 * server's own.
 */
final class EngineReport {

    private static final int DETAIL_WIDTH = 200;

    private EngineReport() {}

    /** @return the message without its {@code [name] } prefix, which the NAME column shows already */
    static String withoutName(String name, String message) {
        String prefix = "[" + name + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    static String list(List<EngineConfiguration> configurations) {
        if (configurations.isEmpty()) {
            return "No engine configurations (engine:create adds one).";
        }
        // DETAIL is last: a reason up to DETAIL_WIDTH characters pushes no other column away
        TableFormatter table = new TableFormatter(List.of("NAME", "STATE", "PATH", "DETAIL")).lastColumnUpTo(DETAIL_WIDTH);
        for (EngineConfiguration c : configurations) {
            table.row(List.of(c.name(), c.state(), where(c.properties()),
                    c.rejection().map(r -> withoutName(c.name(), r)).orElse(c.state() == EngineConfiguration.State.WAITING
                            ? "valid, no engine yet (the log says why if it stays so)" : "")));
        }
        return table.format();
    }

    /**
     * @param configuration the engine's configuration, if it has one in Config Admin
     * @param status the running engine's status, if it runs
     * @param health the running engine's health, if it runs
     */
    static String info(String name, Optional<EngineConfiguration> configuration, Optional<EngineStatus> status,
            Optional<EngineHealth> health) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Engine", name);
        fields.put("PID", configuration.map(EngineConfiguration::pid).orElse("(not configured through Config Admin)"));
        fields.put("State", configuration.map(c -> (Object) c.state()).orElseGet(() -> status.get().state()));
        configuration.ifPresent(c -> c.rejection().ifPresent(r -> fields.put(
                c.state() == EngineConfiguration.State.FAILED ? "Failed" : "Rejected", r)));
        StringBuilder out = new StringBuilder();
        if (status.isPresent()) {
            EngineStatus s = status.get();
            boolean server = isServer(s);
            fields.put(server ? "Server" : "Path", s.path());
            if (!server && !EngineProperties.MEMORY_PATH.equals(s.path())) {
                fields.put("File size", bytes(SqlConsole.size(Path.of(s.path()))));
            }
            fields.put(server ? "PostgreSQL" : "SQLite", s.sqliteVersion());
            fields.put("Read-only", s.readOnly());
            fields.put("Connections", "total=" + s.totalConnections() + ", active=" + s.activeConnections()
                    + ", idle=" + s.idleConnections() + ", waiting=" + s.waitingThreads());
            health.ifPresent(h -> fields.put("Health", h.status()));
            if (!server) {
                FiguresReport.wal(s, fields);
            }
            out.append(fields(fields)).append("\n\n").append(pools(s.pools()))
                    .append("\n\n").append(FiguresReport.latencies(s));
            health.ifPresent(h -> out.append("\n\n").append(health(h)));
            out.append("\n\nEffective settings:\n").append(settings(s.settings()));
        } else {
            out.append(fields(fields));
            configuration.ifPresent(c -> out.append("\n\nConfigured properties:\n").append(settings(c.properties())));
        }
        return out.toString();
    }

    static String stats(EngineStatus s) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Engine", s.name());
        fields.put("State", s.state());
        fields.put("Commits", s.commits());
        fields.put("Rollbacks", s.rollbacks());
        fields.put("Errors", s.errors());
        FiguresReport.counters(s, fields);
        fields.put("Reconfigurations", s.reconfigurations());
        fields.put("Connections", "total=" + s.totalConnections() + ", active=" + s.activeConnections()
                + ", idle=" + s.idleConnections() + ", waiting=" + s.waitingThreads());
        if (!isServer(s)) {
            FiguresReport.wal(s, fields);
        }
        return fields(fields) + "\n\n" + pools(s.pools()) + "\n\n" + FiguresReport.latencies(s) + "\n\n"
                + FiguresReport.errors(s);
    }

    /** @return whether the engine runs on a PostgreSQL server rather than on a SQLite file */
    static boolean isServer(EngineStatus status) {
        return EngineProperties.TYPE_POSTGRESQL.equals(status.settings().get(EngineProperties.TYPE));
    }

    /**
     * @return where a configuration's data lives, as {@code engine:list} shows it: the file, or
     *         the server's URL (or host, port and database) for {@code type=postgresql}
     */
    static String where(Map<String, Object> properties) {
        if (!EngineProperties.TYPE_POSTGRESQL.equals(ConfigValues.display(properties.get(EngineProperties.TYPE)).trim())) {
            return ConfigValues.display(properties.get(EngineProperties.PATH));
        }
        Object url = properties.get(EngineProperties.URL);
        if (url != null) {
            return ConfigValues.display(url);
        }
        Object port = properties.get(EngineProperties.PORT);
        Object database = properties.get(EngineProperties.DATABASE);
        return ConfigValues.display(properties.get(EngineProperties.HOST)) + (port == null ? "" : ":" + port)
                + (database == null ? "" : "/" + database);
    }

    /** @return one line per health check: what it checks, its status and why */
    static String health(EngineHealth health) {
        TableFormatter table = new TableFormatter(List.of("CHECK", "HEALTH", "DETAIL")).lastColumnUpTo(DETAIL_WIDTH);
        for (EngineHealth.Finding f : health.findings()) {
            table.row(List.of(f.check(), f.status(), f.message()));
        }
        return table.format();
    }

    static String pools(List<PoolStatus> pools) {
        TableFormatter table = new TableFormatter(List.of("POOL", "TOTAL", "ACTIVE", "IDLE", "WAITING", "MIN", "MAX"));
        for (PoolStatus p : pools) {
            table.row(List.of(p.pool(), p.total(), p.active(), p.idle(), p.waiting(), p.min(), p.max()));
        }
        return table.format();
    }

    private static String settings(Map<String, ?> settings) {
        TableFormatter table = new TableFormatter(List.of("PROPERTY", "VALUE"));
        new TreeMap<>(settings).forEach((k, v) -> table.row(List.of(k, ConfigValues.display(Secrets.mask(k, v)))));
        return table.format();
    }

    private static String fields(Map<String, Object> fields) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        fields.forEach((label, value) -> out.append(label).append(' ').append(".".repeat(width - label.length() + 2))
                .append(' ').append(value == null ? "" : TerminalText.oneLine(String.valueOf(value))).append('\n'));
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private static String bytes(long size) {
        return size < 0 ? "none" : size + " bytes";
    }
}
