package dev.sqliteengine.impl.settings;

import static dev.sqliteengine.api.EngineProperties.*;

import dev.sqliteengine.api.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One engine's validated configuration. Immutable; created only by {@link #parse}, which is the
 * one place where a configuration is checked, so the Config Admin component, the
 * {@code EngineFactory} and {@code EngineFactory.validate} apply exactly the same rules. What
 * belongs to one database type is its {@link DatabaseSettings}; the rest applies to every type.
 *
 * @param name the engine name
 * @param database the database type's own settings: SQLite's file and pragmas, or PostgreSQL's
 *        server, user and transactions
 * @param ignored the properties of another database type that the configuration sets, sorted:
 *        they take no effect (see {@link OtherTypeProperties})
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
 * @param statementLog what is logged of the statements run (changes apply to running connections)
 * @param statementCacheSize prepared statements kept per connection (0: none)
 * @param health the thresholds of the engine's health checks
 * @param maintenance scheduled maintenance and backups
 * @param groupCommit the most write units that share one transaction (1: each commits on its own);
 *        SQLite's ({@code write.groupCommit}), 1 on a database with several writers
 * @param jmxEnabled whether an engine made outside OSGi registers its MXBean (inside OSGi every engine does)
 */
public record EngineSettings(
        String name,
        DatabaseSettings database,
        java.util.List<String> ignored,
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
        StatementLogSettings statementLog,
        int statementCacheSize,
        HealthSettings health,
        MaintenanceSettings maintenance,
        int groupCommit,
        boolean jmxEnabled) {

    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Key prefixes we own: an unknown key under them is a typo, not someone else's property. */
    private static final String[] OWNED_PREFIXES = {"osgi.connection.", "osgi.idle.", "pool.", "write.", "log.", "statement.",
            "health.", "maintenance.", "backup.", "jmx.", "replicas.", PRAGMA_PREFIX};

    private static final java.util.Set<String> KNOWN = known();

    private static java.util.Set<String> known() {
        java.util.Set<String> all = new java.util.HashSet<>(java.util.List.of(NAME, TYPE, PATH, READ_ONLY, JMX_ENABLED, CONNECTION_MAX,
                CONNECTION_MIN, CONNECTION_TIMEOUT, IDLE_TIMEOUT, CONNECTION_LIFETIME, LEAK_DETECTION_THRESHOLD,
                KEEPALIVE_TIME, DRAIN_TIMEOUT, WRITE_RETRIES, WRITE_RETRY_BACKOFF, WRITE_DEADLINE, WRITE_QUEUE,
                WRITE_BARGE_LIMIT, WRITE_GROUP_COMMIT, LOG_STATEMENTS, LOG_SLOW_THRESHOLD, LOG_PARAMETERS, STATEMENT_CACHE_SIZE,
                HEALTH_QUICK_CHECK_INTERVAL, HEALTH_SATURATION_THRESHOLD, HEALTH_WAL_WARN_SIZE, HEALTH_ERROR_WINDOW));
        all.addAll(MaintenanceSettings.KEYS);
        all.addAll(OtherTypeProperties.notOf(SqliteSettings.TYPE));
        return java.util.Set.copyOf(all);
    }

    public EngineSettings {
        Objects.requireNonNull(name);
        Objects.requireNonNull(database);
        ignored = java.util.List.copyOf(ignored);
        Objects.requireNonNull(statementLog);
        Objects.requireNonNull(health);
        Objects.requireNonNull(maintenance);
    }

    /** @return the database type's name, as {@code type} spells it */
    public String type() {
        return database.type();
    }

    /**
     * @return SQLite's own settings
     * @throws IllegalStateException on an engine of another type
     */
    public SqliteSettings sqlite() {
        if (database instanceof SqliteSettings sqlite) {
            return sqlite;
        }
        throw new IllegalStateException("[" + name + "] type=" + type() + " has no SQLite settings");
    }

    /**
     * @return PostgreSQL's own settings
     * @throws IllegalStateException on an engine of another type
     */
    public PostgresqlSettings postgresql() {
        if (database instanceof PostgresqlSettings postgresql) {
            return postgresql;
        }
        throw new IllegalStateException("[" + name + "] type=" + type() + " has no PostgreSQL settings");
    }

    /** @return SQLite's database path as configured (SQLite only) */
    public String path() {
        return sqlite().path();
    }

    /** @return the pragmas every SQLite connection gets (SQLite only) */
    public PragmaSet pragmas() {
        return sqlite().pragmas();
    }

    /** @return how many write units may run at once: 1 on SQLite, {@code write.connections} on PostgreSQL */
    public int writeConnections() {
        return database.writeConnections();
    }

    /** @return the streaming replicas that serve reads: PostgreSQL's, if configured; none on SQLite */
    public ReplicaSettings replicas() {
        return database instanceof PostgresqlSettings postgresql ? postgresql.replicas() : ReplicaSettings.NONE;
    }

    /** @return whether the database is a private in-memory SQLite database */
    public boolean inMemory() {
        return database instanceof SqliteSettings sqlite && MEMORY_PATH.equals(sqlite.path());
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
        String type = type(in);
        // The other type's properties are not checked: they take no effect (the engine says so once).
        java.util.List<String> ignored = OtherTypeProperties.setIn(in, type);
        in = in.without(ignored);
        boolean sqlite = SqliteSettings.TYPE.equals(type);

        for (String key : in.keys()) {
            if (key.startsWith(PRAGMA_PREFIX)) {
                if (sqlite) {
                    SqliteSettings.checkPragmaName(in, key, properties.get(key));
                } // else blank: not even ignored
            } else if (isOwned(key) && !KNOWN.contains(key)) {
                throw in.invalid(key, properties.get(key),
                        "no such property; known properties are " + String.join(", ", new java.util.TreeSet<>(KNOWN)));
            }
        }

        String path = sqlite ? SqliteSettings.path(in) : null;
        PostgresqlSettings postgresql = sqlite ? null : PostgresqlSettings.parse(in);
        boolean readOnly = in.bool(READ_ONLY, false);
        boolean jmxEnabled = in.bool(JMX_ENABLED, false);

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
        // A database with several writers runs write units side by side: each commits on its own.
        int groupCommit = sqlite ? (int) in.number(WRITE_GROUP_COMMIT, DEFAULT_WRITE_GROUP_COMMIT, 1, 1000,
                "an integer from 1 (every write unit commits on its own) to 1000") : 1;

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

        DatabaseSettings database = sqlite ? new SqliteSettings(path, SqliteSettings.pragmas(in)) : postgresql;
        return new EngineSettings(name, database, ignored, readOnly, max, min, connectionTimeout, idleTimeout, lifetime,
                leak, keepalive, drain, retries, backoff, deadline, queue, bargeLimit, statementLog, statementCacheSize,
                health, maintenance, groupCommit, jmxEnabled);
    }

    /** @return the checked {@code type}, lower case */
    private static String type(PropertyReader in) {
        String type = in.string(TYPE, DEFAULT_TYPE);
        for (String known : new String[] {SqliteSettings.TYPE, PostgresqlSettings.TYPE}) {
            if (known.equalsIgnoreCase(type)) {
                return known;
            }
        }
        throw in.invalid(TYPE, type, "sqlite (a SQLite database file, the default) or postgresql (a PostgreSQL server)");
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

    /**
     * @param next the settings that would replace these
     * @return whether the change needs new connections (a new pool) rather than new pool sizes
     */
    public boolean needsNewPool(EngineSettings next) {
        return database.needsNewPool(next.database) || readOnly != next.readOnly || keepaliveTime != next.keepaliveTime;
    }

    /** @return every setting keyed by property name, in a stable order: what status and the shell show */
    public Map<String, Object> asProperties() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(NAME, name);
        out.put(TYPE, type());
        database.putPlace(out);
        out.put(READ_ONLY, readOnly);
        out.put(JMX_ENABLED, jmxEnabled);
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
        out.put(WRITE_GROUP_COMMIT, groupCommit);
        out.put(LOG_STATEMENTS, statementLog.mode().value());
        out.put(LOG_SLOW_THRESHOLD, statementLog.slowThresholdMillis());
        out.put(LOG_PARAMETERS, statementLog.parameters());
        out.put(STATEMENT_CACHE_SIZE, statementCacheSize);
        if (database instanceof SqliteSettings) {
            maintenance.putInto(out);
        }
        database.putTuning(out);
        health.putInto(out);
        out.keySet().removeAll(OtherTypeProperties.notOf(type()));
        return out;
    }
}
