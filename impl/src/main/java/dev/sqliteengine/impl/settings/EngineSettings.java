package dev.sqliteengine.impl.settings;

import static dev.sqliteengine.api.EngineProperties.*;

import dev.sqliteengine.api.ConfigurationException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One engine's validated configuration. Immutable; created only by {@link #parse}, which is the
 * one place where a configuration is checked, so the Config Admin component, the
 * {@code EngineFactory} and {@code EngineFactory.validate} apply exactly the same rules.
 *
 * @param name the engine name
 * @param path the database path as configured, or {@link dev.sqliteengine.api.EngineProperties#MEMORY_PATH}
 * @param readOnly whether writes are refused
 * @param maxConnections maximum size of the reader pool and of the data source pool
 * @param minConnections idle reader connections kept open
 * @param connectionTimeout ms a caller waits for a connection or the writer
 * @param idleTimeout ms before an idle connection beyond the minimum is closed (0: never)
 * @param lifetime ms a connection lives at most (0: no limit)
 * @param leakDetectionThreshold ms before a checked-out connection is reported as a leak (0: off)
 * @param keepaliveTime ms between keep-alive touches of idle connections (0: off)
 * @param drainTimeout ms work on a retired pool may go on
 * @param writeRetries extra runs of a write unit that failed with a transient code
 * @param writeRetryBackoff ms before the first retry, doubled on each further one (see {@link RetrySchedule})
 * @param writeDeadline ms a write unit waits in all (queue, locks, retries) before it gives up
 * @param writeQueue how writers queue for the writer
 * @param bargeLimit µs the first waiting writer may be overtaken, with {@link WriteQueue#BOUNDED}
 * @param pragmas the pragmas every connection gets
 * @param statementLog what is logged of the statements run (changes apply to running connections)
 * @param statementCacheSize prepared statements kept per connection (0: none)
 * @param health the thresholds of the engine's health checks
 * @param maintenance scheduled maintenance and backups
 */
public record EngineSettings(
        String name,
        String path,
        boolean readOnly,
        int maxConnections,
        int minConnections,
        long connectionTimeout,
        long idleTimeout,
        long lifetime,
        long leakDetectionThreshold,
        long keepaliveTime,
        long drainTimeout,
        int writeRetries,
        long writeRetryBackoff,
        long writeDeadline,
        WriteQueue writeQueue,
        long bargeLimit,
        PragmaSet pragmas,
        StatementLogSettings statementLog,
        int statementCacheSize,
        HealthSettings health,
        MaintenanceSettings maintenance) {

    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * The pragmas of SQLite's encryption extensions (SEE, SQLCipher). The SQLite inside
     * sqlite-jdbc has no encryption codec, so it would ignore them and store the data in plain
     * text: refused with a message saying so, rather than as just another unknown pragma.
     */
    private static final java.util.Set<String> ENCRYPTION_PRAGMAS = java.util.Set.of(
            "key", "rekey", "hexkey", "hexrekey", "textkey", "textrekey");

    /** Key prefixes we own: an unknown key under them is a typo, not someone else's property. */
    private static final String[] OWNED_PREFIXES = {"osgi.connection.", "osgi.idle.", "pool.", "write.", "log.", "statement.",
            "health.", "maintenance.", "backup.", PRAGMA_PREFIX};

    private static final java.util.Set<String> KNOWN = known();

    private static java.util.Set<String> known() {
        java.util.Set<String> all = new java.util.HashSet<>(java.util.List.of(NAME, PATH, READ_ONLY, CONNECTION_MAX,
                CONNECTION_MIN, CONNECTION_TIMEOUT, IDLE_TIMEOUT, CONNECTION_LIFETIME, LEAK_DETECTION_THRESHOLD,
                KEEPALIVE_TIME, DRAIN_TIMEOUT, WRITE_RETRIES, WRITE_RETRY_BACKOFF, WRITE_DEADLINE, WRITE_QUEUE,
                WRITE_BARGE_LIMIT, LOG_STATEMENTS, LOG_SLOW_THRESHOLD, LOG_PARAMETERS, STATEMENT_CACHE_SIZE,
                HEALTH_QUICK_CHECK_INTERVAL, HEALTH_SATURATION_THRESHOLD, HEALTH_WAL_WARN_SIZE, HEALTH_ERROR_WINDOW));
        all.addAll(MaintenanceSettings.KEYS);
        return java.util.Set.copyOf(all);
    }

    public EngineSettings {
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
        Objects.requireNonNull(pragmas);
        Objects.requireNonNull(statementLog);
        Objects.requireNonNull(health);
        Objects.requireNonNull(maintenance);
    }

    /** @return whether {@link #path()} names a private in-memory database */
    public boolean inMemory() {
        return MEMORY_PATH.equals(path);
    }

    /**
     * Validates a configuration.
     *
     * @param properties the configuration, as Config Admin or a caller gives it
     * @param defaultName the name to use when {@code name} is absent (the factory configuration's
     *        name), or null when a name is required
     * @param owner what errors are prefixed with before the name is known (the PID), or null
     * @return the settings
     * @throws ConfigurationException naming the first invalid property
     */
    public static EngineSettings parse(Map<String, ?> properties, String defaultName, String owner) {
        PropertyReader in = new PropertyReader(properties, owner);

        String name = in.string(NAME, defaultName);
        if (name == null) {
            throw in.invalid(NAME, null, "an engine name matching [A-Za-z0-9_.-]+; required unless the"
                    + " factory configuration has a name (PID " + FACTORY_PID + "~<name>)");
        }
        if (!NAME_PATTERN.matcher(name).matches()) {
            throw in.invalid(NAME, name, "1 to 64 characters from [A-Za-z0-9_.-]");
        }
        in = in.withOwner(name);
        refuseReplacedProperties(in);

        for (String key : properties.keySet()) {
            if (key.startsWith(PRAGMA_PREFIX)) {
                if (ENCRYPTION_PRAGMAS.contains(key.substring(PRAGMA_PREFIX.length()).toLowerCase(java.util.Locale.ROOT))) {
                    throw in.invalid(key, properties.get(key), "database encryption is not supported: the SQLite in"
                            + " sqlite-jdbc has no encryption codec, so this pragma would do nothing and the data would be"
                            + " stored unencrypted; remove the property (and encrypt the disk instead, if needed)");
                }
                if (Pragma.bySqlName(key.substring(PRAGMA_PREFIX.length())) == null) {
                    throw in.invalid(key, properties.get(key), "a pragma from the allow-list: " + pragmaNames());
                }
            } else if (isOwned(key) && !KNOWN.contains(key)) {
                throw in.invalid(key, properties.get(key),
                        "no such property; known properties are " + String.join(", ", new java.util.TreeSet<>(KNOWN)));
            }
        }

        String path = in.string(PATH, null);
        if (path == null) {
            throw in.invalid(PATH, null, "a database file path, or " + MEMORY_PATH);
        }
        if (!MEMORY_PATH.equals(path)) {
            if (path.chars().anyMatch(Character::isISOControl) || path.indexOf('?') >= 0 || path.indexOf('#') >= 0
                    || path.startsWith(":") || path.regionMatches(true, 0, "file:", 0, 5)) {
                throw in.invalid(PATH, path, "a plain file path without control characters, '?', '#' or a 'file:' prefix, or " + MEMORY_PATH);
            }
            if (path.length() > 4096) {
                throw in.invalid(PATH, path, "a path of at most 4096 characters");
            }
        }
        boolean readOnly = in.bool(READ_ONLY, false);

        // Sizes
        int max = (int) in.number(CONNECTION_MAX, DEFAULT_CONNECTION_MAX, 1, 1000, "an integer from 1 to 1000");
        int min = (int) in.number(CONNECTION_MIN, Math.min(DEFAULT_CONNECTION_MIN, max), 0, 1000,
                "an integer from 0 to " + CONNECTION_MAX + " (" + max + ")");
        if (min > max) {
            throw in.invalid(CONNECTION_MIN, min, "an integer from 0 to " + CONNECTION_MAX + " (" + max + ")");
        }

        // Timeouts
        long connectionTimeout = in.number(CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT, 250, 86_400_000L,
                "milliseconds from 250 to 86400000");
        long idleTimeout = in.zeroOrBetween(IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, 10_000, 86_400_000L, "milliseconds");
        long lifetime = in.zeroOrBetween(CONNECTION_LIFETIME, DEFAULT_CONNECTION_LIFETIME, 30_000,
                86_400_000L, "milliseconds");
        long leak = in.zeroOrBetween(LEAK_DETECTION_THRESHOLD, 0, 2_000, 86_400_000L, "milliseconds");
        long keepalive = in.zeroOrBetween(KEEPALIVE_TIME, 0, 30_000, 86_400_000L, "milliseconds");
        if (keepalive > 0 && lifetime > 0 && keepalive >= lifetime) {
            throw in.invalid(KEEPALIVE_TIME, keepalive, "0 (off) or milliseconds from 30000 to below "
                    + CONNECTION_LIFETIME + " (" + lifetime + ")");
        }
        long drain = in.number(DRAIN_TIMEOUT, DEFAULT_DRAIN_TIMEOUT, 0, 600_000, "milliseconds from 0 to 600000");

        // Writes
        int retries = (int) in.number(WRITE_RETRIES, DEFAULT_WRITE_RETRIES, 0, 100, "an integer from 0 to 100");
        long backoff = in.number(WRITE_RETRY_BACKOFF, DEFAULT_WRITE_RETRY_BACKOFF, 0, RetrySchedule.MAX_WAIT,
                "milliseconds from 0 to " + RetrySchedule.MAX_WAIT);
        long deadline = in.number(WRITE_DEADLINE, DEFAULT_WRITE_DEADLINE, 250, 86_400_000L,
                "milliseconds from 250 to 86400000");
        requireRetriesFit(in, retries, backoff, deadline);
        WriteQueue queue = writeQueue(in);
        long bargeLimit = in.number(WRITE_BARGE_LIMIT, DEFAULT_WRITE_BARGE_LIMIT, 10, 1_000_000, "microseconds from 10 to 1000000");

        // Statement logging
        String logValue = in.string(LOG_STATEMENTS, DEFAULT_LOG_STATEMENTS);
        StatementLogSettings.Mode logMode = StatementLogSettings.Mode.of(logValue);
        if (logMode == null) {
            throw in.invalid(LOG_STATEMENTS, logValue, "one of off, slow, all");
        }
        StatementLogSettings statementLog = new StatementLogSettings(logMode, in.number(LOG_SLOW_THRESHOLD,
                DEFAULT_LOG_SLOW_THRESHOLD, 0, 86_400_000L, "milliseconds from 0 to 86400000"),
                in.bool(LOG_PARAMETERS, false));
        int statementCacheSize = (int) in.number(STATEMENT_CACHE_SIZE, DEFAULT_STATEMENT_CACHE_SIZE, 0, 1000,
                "an integer from 0 (no cache) to 1000");
        HealthSettings health = HealthSettings.read(in);

        MaintenanceSettings maintenance = MaintenanceSettings.parse(in);

        // Pragmas
        Map<Pragma, String> pragmas = new EnumMap<>(Pragma.class);
        for (Pragma p : Pragma.values()) {
            Object value = in.raw(p.property());
            if (value == null) {
                continue;
            }
            if (value instanceof Boolean b && p == Pragma.FOREIGN_KEYS) {
                value = b ? "ON" : "OFF";
            }
            String canonical = value instanceof String || value instanceof Integer || value instanceof Long
                    ? p.canonical(value) : null;
            if (canonical == null) {
                throw in.invalid(p.property(), value, p.allowed());
            }
            pragmas.put(p, canonical);
        }

        return new EngineSettings(name, path, readOnly, max, min, connectionTimeout, idleTimeout, lifetime, leak,
                keepalive, drain, retries, backoff, deadline, queue, bargeLimit, PragmaSet.of(pragmas), statementLog,
                statementCacheSize, health, maintenance);
    }

    /**
     * Refuses retries that could never all run: the waits before them, doubling from the backoff,
     * would outlast the deadline. The property named is the deadline when only it was set (it is
     * the one to fix), else the number of retries.
     */
    private static void requireRetriesFit(PropertyReader in, int retries, long backoff, long deadline) {
        long waits = RetrySchedule.total(backoff, retries);
        if (waits <= deadline) {
            return;
        }
        String why = "the waits before " + retries + " retries, from " + WRITE_RETRY_BACKOFF + "=" + backoff
                + " ms doubling up to " + RetrySchedule.MAX_WAIT + " ms each, add up to " + waits + " ms";
        if (in.raw(WRITE_RETRIES) == null && in.raw(WRITE_RETRY_BACKOFF) == null) {
            throw in.invalid(WRITE_DEADLINE, Long.toString(deadline), "at least " + waits + " ms: " + why);
        }
        throw in.invalid(WRITE_RETRIES, Integer.toString(retries), "at most " + RetrySchedule.fitting(backoff, deadline, retries)
                + " with " + WRITE_DEADLINE + "=" + deadline + ": " + why + ", more than the deadline");
    }

    /** Refuses {@code write.fairQueue}, saying what replaced it (before the unknown-key check, which would only call it unknown). */
    @SuppressWarnings("deprecation")
    private static void refuseReplacedProperties(PropertyReader in) {
        Object fair = in.raw(WRITE_FAIR_QUEUE);
        if (fair != null) {
            throw in.invalid(WRITE_FAIR_QUEUE, fair, "nothing: it was replaced by " + WRITE_QUEUE + " (fifo, what true was;"
                    + " bounded, the default; barging, what false was)");
        }
    }

    private static WriteQueue writeQueue(PropertyReader in) {
        String value = in.string(WRITE_QUEUE, DEFAULT_WRITE_QUEUE);
        WriteQueue queue = WriteQueue.byConfigName(value);
        if (queue == null) {
            throw in.invalid(WRITE_QUEUE, value, "fifo, bounded or barging");
        }
        return queue;
    }

    private static boolean isOwned(String key) {
        for (String prefix : OWNED_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String pragmaNames() {
        StringBuilder out = new StringBuilder();
        for (Pragma p : Pragma.values()) {
            out.append(out.length() == 0 ? "" : ", ").append(p.sqlName());
        }
        return out.toString();
    }

    /**
     * @param next the settings that would replace these
     * @return whether the change needs new connections (a new pool) rather than new pool sizes
     */
    public boolean needsNewPool(EngineSettings next) {
        return !path.equals(next.path) || readOnly != next.readOnly || !pragmas.equals(next.pragmas)
                || keepaliveTime != next.keepaliveTime;
    }

    /** @return every setting keyed by property name, in a stable order: what status and the shell show */
    public Map<String, Object> asProperties() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(NAME, name);
        out.put(PATH, path);
        out.put(READ_ONLY, readOnly);
        out.put(CONNECTION_MAX, maxConnections);
        out.put(CONNECTION_MIN, minConnections);
        out.put(CONNECTION_TIMEOUT, connectionTimeout);
        out.put(IDLE_TIMEOUT, idleTimeout);
        out.put(CONNECTION_LIFETIME, lifetime);
        out.put(LEAK_DETECTION_THRESHOLD, leakDetectionThreshold);
        out.put(KEEPALIVE_TIME, keepaliveTime);
        out.put(DRAIN_TIMEOUT, drainTimeout);
        out.put(WRITE_RETRIES, writeRetries);
        out.put(WRITE_RETRY_BACKOFF, writeRetryBackoff);
        out.put(WRITE_DEADLINE, writeDeadline);
        out.put(WRITE_QUEUE, writeQueue.configName());
        out.put(WRITE_BARGE_LIMIT, bargeLimit);
        out.put(LOG_STATEMENTS, statementLog.mode().value());
        out.put(LOG_SLOW_THRESHOLD, statementLog.slowThresholdMillis());
        out.put(LOG_PARAMETERS, statementLog.parameters());
        out.put(STATEMENT_CACHE_SIZE, statementCacheSize);
        maintenance.putInto(out);
        out.putAll(pragmas.asProperties());
        health.putInto(out);
        return out;
    }
}
