package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.impl.settings.EngineSettings;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The Metatype of an engine configuration (factory PID {@code dev.sqliteengine.engine}), shown by
 * the Web Console and any Metatype-aware tool. Defaults here equal
 * {@link dev.sqliteengine.api.EngineProperties}' defaults; validation of the raw values is
 * {@link EngineSettings#parse}, the same code the
 * {@code EngineFactory} uses, because a typed view would turn a bad value into a late, vague
 * conversion error instead of a clear message naming the property.
 */
@ObjectClassDefinition(
        id = "dev.sqliteengine.engine",
        name = "SQLite engine",
        description = "A pooled SQLite database, or a pool of connections to a PostgreSQL server (type), registered"
                + " as Engine, ConnectionManager and DataSource services. Attributes marked 'SQLite only' or"
                + " 'PostgreSQL only' are ignored by the other type (the engine logs one WARN naming them).")
@interface EngineConfig {

    @AttributeDefinition(name = "Name", required = false,
            description = "The engine name ([A-Za-z0-9_.-], at most 64 characters), unique among running engines."
                    + " It becomes the service properties engine.name, dataSourceName and osgi.jndi.service.name."
                    + " Without it, the engine is named after the PID: the part after the factory PID and its"
                    + " separator, so dev.sqliteengine.engine~orders gives 'orders', and a PID that Config Admin"
                    + " made up (dev.sqliteengine.engine.<uuid>) gives the <uuid>.")
    String name();

    @AttributeDefinition(name = "Type", description = "The type of database, fixed for the engine's life: sqlite"
            + " (a database file) or postgresql (a PostgreSQL server). Changing it closes the engine and opens a new"
            + " one, whose services are registered anew.", options = {
                    @Option(label = "sqlite", value = "sqlite"), @Option(label = "postgresql", value = "postgresql")})
    String type() default "sqlite";

    @AttributeDefinition(name = "Database file", required = false,
            description = "SQLite only, required there. Path of the database file; missing folders are created."
                    + " ':memory:' gives a private in-memory database that lives as long as the engine.")
    String path();

    // PostgreSQL

    @AttributeDefinition(name = "Server URL", required = false,
            description = "PostgreSQL only: the server's JDBC URL, jdbc:postgresql://host[:port]/database, with"
                    + " pgjdbc's parameters, and no password (a URL with one is refused). Either this or the host.")
    String url();

    @AttributeDefinition(name = "Server host", required = false,
            description = "PostgreSQL only, instead of the URL: the server's host name or address.")
    String host();

    @AttributeDefinition(name = "Server port", required = false, min = "1", max = "65535",
            description = "PostgreSQL only, with the host: the server's port (5432 when not set).")
    int port();

    @AttributeDefinition(name = "Database name", required = false,
            description = "PostgreSQL only, with the host: the database; without it the server takes the user's name.")
    String database();

    @AttributeDefinition(name = "User", required = false,
            description = "PostgreSQL only: the user to log in as; without it, the URL's user parameter, else the name"
                    + " of the operating system user the JVM runs as.")
    String user();

    @AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD,
            description = "PostgreSQL only: the user's password; never shown in messages, logs, status, events,"
                    + " JMX or the shell. A change applies through new connections; one the server refuses is"
                    + " rejected and the engine keeps serving. Where Felix's Config Admin interpolation plugin runs"
                    + " (the runnable jar, Karaf), $[secret:NAME] (a file in the secrets folder) or $[env:VARIABLE]"
                    + " keeps it out of the stored configuration.")
    String password();

    @AttributeDefinition(name = "Isolation", description = "PostgreSQL only: the isolation level of write units"
            + " and DataSource transactions. Serialization failures and deadlocks make a write unit run again as a"
            + " whole (write retries). Read units always see one snapshot.", options = {
                    @Option(label = "READ_COMMITTED", value = "READ_COMMITTED"),
                    @Option(label = "REPEATABLE_READ", value = "REPEATABLE_READ"),
                    @Option(label = "SERIALIZABLE", value = "SERIALIZABLE")})
    String isolation() default "READ_COMMITTED";

    @AttributeDefinition(name = "Lock timeout (ms)", min = "0", max = "3600000",
            description = "PostgreSQL only: how long a statement waits for a lock another transaction holds before it"
                    + " fails (SQLSTATE 55P03, which a write unit retries); 0 waits as long as it takes.")
    long lockTimeout() default 5_000L;

    @AttributeDefinition(name = "Replicas", required = false, cardinality = 16,
            description = "PostgreSQL only: JDBC URLs of streaming replicas (hot standbys) of the server, one per"
                    + " value, at most 16. Read units and read-only DataSource transactions run there, taking turns;"
                    + " writes, and reads inside a write unit, run on the primary. They log in with the user and"
                    + " password above (a streaming replica has the primary's roles). A replica that cannot serve is"
                    + " passed over, its reads run on the primary, and health says WARN until it serves again.")
    String[] replicas();

    @AttributeDefinition(name = "Replicas: read your writes", description = "PostgreSQL only, with replicas: whether a"
            + " read must see what this engine committed before it. primary: read the primary while no replica has"
            + " replayed the engine's last commit; wait: wait for a replica to replay it (at most the timeout below),"
            + " then read the primary; off: read a replica as it is. primary and wait ask the primary for its WAL"
            + " position after every commit.", options = {
                    @Option(label = "primary", value = "primary"), @Option(label = "wait", value = "wait"),
                    @Option(label = "off", value = "off")})
    String replicas_readYourWrites() default "primary";

    @AttributeDefinition(name = "Replicas: read-your-writes timeout (ms)", min = "1", max = "60000",
            description = "PostgreSQL only, with replicas and read your writes = wait: how long a read waits for a"
                    + " replica to replay the engine's last commit before it runs on the primary.")
    long replicas_readYourWritesTimeout() default 500L;

    @AttributeDefinition(name = "Read-only", description = "Open the database read-only and refuse write units.")
    boolean readOnly() default false;

    // Sizes

    @AttributeDefinition(name = "Maximum connections", min = "1", max = "1000",
            description = "Maximum size of the reader pool, and separately of the DataSource pool. Write units"
                    + " always share one writer connection.")
    int osgi_connection_max() default 10;

    @AttributeDefinition(name = "Minimum idle connections", min = "0", max = "1000",
            description = "Idle reader connections kept open.")
    int osgi_connection_min() default 1;

    // Timeouts

    @AttributeDefinition(name = "Connection timeout (ms)", min = "250",
            description = "How long a caller waits for a connection, or a write unit for the writer, before a"
                    + " ConnectionException.")
    long osgi_connection_timeout() default 30_000L;

    @AttributeDefinition(name = "Idle timeout (ms)", min = "0",
            description = "How long a connection beyond the minimum may sit idle before it is closed; 0 keeps"
                    + " them, otherwise at least 10000.")
    long osgi_idle_timeout() default 600_000L;

    @AttributeDefinition(name = "Connection lifetime (ms)", min = "0",
            description = "Longest life of a connection before it is retired when idle; 0 for no limit,"
                    + " otherwise at least 30000.")
    long osgi_connection_lifetime() default 1_800_000L;

    @AttributeDefinition(name = "Leak detection threshold (ms)", min = "0",
            description = "Log a connection checked out for longer than this as a possible leak, with the stack"
                    + " of its checkout; 0 turns it off, otherwise at least 2000.")
    long pool_leakDetectionThreshold() default 0L;

    @AttributeDefinition(name = "Keep-alive interval (ms)", min = "0",
            description = "How often idle connections are touched; 0 turns it off, otherwise at least 30000 and"
                    + " below the connection lifetime.")
    long pool_keepaliveTime() default 0L;

    @AttributeDefinition(name = "Drain timeout (ms)", min = "0", max = "600000",
            description = "On a change that replaces the pool, and on close, how long work already running may"
                    + " go on before its connections are closed.")
    long drainTimeout() default 10_000L;

    // Writes

    @AttributeDefinition(name = "Write retries", min = "0", max = "100",
            description = "How many more times a write unit that failed as a whole with SQLITE_BUSY or"
                    + " SQLITE_LOCKED (PostgreSQL: a serialization failure, a deadlock, a lock timeout) is run, within"
                    + " the write deadline. Constraint violations are never retried."
                    + " The waits before all retries must fit within the write deadline.")
    int write_retries() default 3;

    @AttributeDefinition(name = "Write connections", min = "1", max = "1000",
            description = "PostgreSQL only: how many write units (and writing DataSource transactions) run at once,"
                    + " each on a connection of the writer pool; others wait in the write queue, first come, first"
                    + " served. SQLite has exactly one writer. Takes effect at once.")
    int write_connections() default 10;

    @AttributeDefinition(name = "Write retry backoff (ms)", min = "0", max = "60000",
            description = "Wait before the first retry of a write unit; doubled on each further retry, up to"
                    + " 60000 ms for one wait.")
    long write_retryBackoff() default 50L;

    @AttributeDefinition(name = "Write deadline (ms)", min = "250", max = "86400000",
            description = "The longest a write unit waits in all: for the writer, for locks held by other"
                    + " processes, and between retries. Then it fails with a ConnectionException naming"
                    + " write.deadline. The work's own running time is not cut short.")
    long write_deadline() default 60_000L;

    @AttributeDefinition(name = "Write queue", description = "How writers (write units, and DataSource"
            + " transactions that write) queue for the writer. fifo: first come, first served, a wake-up per hand-off."
            + " bounded: a running writer may take a free writer ahead of the waiting ones while the first of them"
            + " has waited less than the barge limit; then it is next. Fewer wake-ups, waits still bounded, a longer"
            + " tail (the default). barging: whoever finds the writer free takes it, no order among waiters."
            + " On PostgreSQL the queue lets in the write connections' number of writers, first come, first served,"
            + " whatever this says.", options = {
                    @Option(label = "fifo", value = "fifo"), @Option(label = "bounded", value = "bounded"),
                    @Option(label = "barging", value = "barging")})
    String write_queue() default "bounded";

    @AttributeDefinition(name = "Write barge limit (µs)", min = "10", max = "1000000",
            description = "SQLite only (its single writer). With the bounded write queue: how long the first waiting writer may be overtaken by"
                    + " running writers before it gets the writer next.")
    long write_bargeLimit() default 500L;

    @AttributeDefinition(name = "Group commit (units)", min = "1", max = "1000",
            description = "SQLite only (its single writer; PostgreSQL's writers run side by side). The most write"
                    + " units that share one transaction and one commit. Units that queue while"
                    + " another one runs join its transaction, in their order, each under a savepoint of its own:"
                    + " each stays all or nothing, and returns only once the commit holding its work succeeded. 1"
                    + " commits every unit on its own.")
    int write_groupCommit() default 16;

    @AttributeDefinition(name = "Statement cache size", min = "0", max = "1000",
            description = "Prepared statements each connection keeps for reuse, by SQL text; 0 turns the cache"
                    + " off. A kept statement skips SQLite's parse and plan. Statements that change the schema"
                    + " through the engine make the kept ones stale; set 0 if another process changes the schema"
                    + " of a running engine's tables.")
    int statement_cacheSize() default 32;

    // Statement logging

    @AttributeDefinition(name = "Log statements", description = "Which statements are logged through slf4j, under"
            + " the logger dev.sqliteengine.sql.<engine name>, with their SQL, duration and rows: off (nothing, at no"
            + " cost), slow (those that took at least the slow threshold, at WARN) or all (every one at INFO, slow ones at"
            + " WARN). Takes effect at once.", options = {
                    @Option(label = "off", value = "off"), @Option(label = "slow", value = "slow"),
                    @Option(label = "all", value = "all")})
    String log_statements() default "off";

    @AttributeDefinition(name = "Slow statement threshold (ms)", min = "0", max = "86400000",
            description = "A statement that takes at least this long is slow, and logged at WARN when statements are"
                    + " logged.")
    long log_slowThreshold() default 100L;

    @AttributeDefinition(name = "Log parameters", description = "Show the bound parameters of logged prepared"
            + " statements. All parameters of a statement that names something secret-looking (password, secret, token,"
            + " a name ending in key) are masked all the same.")
    boolean log_parameters() default false;
    // Health

    @AttributeDefinition(name = "Health: quick check interval (ms)", min = "0", max = "604800000",
            description = "SQLite only. How often PRAGMA quick_check runs in the background, on a reader connection (never the"
                    + " writer); a damaged file makes the engine's health CRITICAL. The first run is one interval"
                    + " after the engine opened; it reads the whole file. 0 turns it off, otherwise at least 1000."
                    + " Never runs on an in-memory database.")
    long health_quickCheckInterval() default 3_600_000L;

    @AttributeDefinition(name = "Health: saturation threshold (ms)", min = "0", max = "86400000",
            description = "Health is WARN while a pool (the writer queue, the readers, the DataSource's pool) has had"
                    + " threads waiting for a connection for longer than this; 0 turns it off, otherwise at least 250.")
    long health_saturationThreshold() default 10_000L;

    @AttributeDefinition(name = "Health: WAL warning size (bytes)", min = "0", type = AttributeType.LONG,
            description = "SQLite only. Health is WARN while the -wal file is larger than this (checkpoints cannot keep up, or a"
                    + " long read holds them back); 0 turns it off.")
    long health_walWarnSize() default 67_108_864L;

    @AttributeDefinition(name = "Health: error window (ms)", min = "0", max = "86400000",
            description = "Health is WARN when units of work or connections failed within the last this many"
                    + " milliseconds; 0 turns it off, otherwise at least 1000.")
    long health_errorWindow() default 300_000L;

    // Maintenance and backups (none of the maintenance runs on a read-only or in-memory engine)

    @AttributeDefinition(name = "Checkpoint interval (ms)", min = "0", max = "86400000",
            description = "SQLite only. How often PRAGMA wal_checkpoint(PASSIVE) runs, which copies what it can from the WAL into"
                    + " the database without waiting for readers. WAL mode only. 0 turns it off, otherwise at least 1000.")
    long maintenance_checkpointInterval() default 60_000L;

    @AttributeDefinition(name = "Truncate the WAL when idle for (ms)", min = "0", max = "86400000",
            description = "SQLite only. Once no write has committed for this long, PRAGMA wal_checkpoint(TRUNCATE) resets the WAL"
                    + " to zero bytes, holding the writer for at most one slice. WAL mode only. 0 turns it off,"
                    + " otherwise at least 1000.")
    long maintenance_idleTruncateAfter() default 30_000L;

    @AttributeDefinition(name = "Optimize interval (ms)", min = "0", max = "86400000",
            description = "SQLite only. How often PRAGMA optimize runs (with analysis_limit=400); it also runs when the engine"
                    + " closes. 0 turns it off, otherwise at least 1000.")
    long maintenance_optimizeInterval() default 3_600_000L;

    @AttributeDefinition(name = "Incremental vacuum interval (ms)", min = "0", max = "86400000",
            description = "SQLite only. How often free pages are given back with PRAGMA incremental_vacuum, in slices; only"
                    + " a database with auto_vacuum=INCREMENTAL has any to give. 0 turns it off, otherwise at least 1000.")
    long maintenance_vacuumInterval() default 600_000L;

    @AttributeDefinition(name = "Maintenance slice (ms)", min = "10", max = "10000",
            description = "SQLite only. How long one maintenance step may hold the engine's writer: a TRUNCATE checkpoint waits at"
                    + " most this long for readers, and incremental vacuum sizes its steps to it.")
    long maintenance_slice() default 100L;

    @AttributeDefinition(name = "Backup interval (ms)", min = "0", max = "604800000",
            description = "SQLite only. How often a backup is written into the backup folder; 0 turns scheduled backups off,"
                    + " otherwise at least 1000. Needs the backup folder.")
    long backup_interval() default 0L;

    @AttributeDefinition(name = "Backup folder", required = false,
            description = "SQLite only. Absolute folder for scheduled backups, named <name>-<yyyyMMdd-HHmmss-SSS>.db (UTC);"
                    + " below the allowed root when one is set.")
    String backup_directory();

    @AttributeDefinition(name = "Backups kept", min = "1", max = "10000",
            description = "SQLite only. How many scheduled backups of this engine are kept; older ones are deleted.")
    int backup_retain() default 7;

    // Pragmas

    @AttributeDefinition(name = "PRAGMA journal_mode", description = "SQLite only. SQLite's journal mode. WAL lets readers"
            + " run while one writer writes.", options = {
                    @Option(label = "WAL", value = "WAL"), @Option(label = "DELETE", value = "DELETE"),
                    @Option(label = "TRUNCATE", value = "TRUNCATE"), @Option(label = "PERSIST", value = "PERSIST"),
                    @Option(label = "MEMORY", value = "MEMORY"), @Option(label = "OFF", value = "OFF")})
    String pragma_journal__mode() default "WAL";

    @AttributeDefinition(name = "PRAGMA synchronous", description = "SQLite only. How often SQLite syncs to disk. NORMAL in WAL"
            + " mode survives an application crash; FULL also survives a power loss.", options = {
                    @Option(label = "NORMAL", value = "NORMAL"), @Option(label = "FULL", value = "FULL"),
                    @Option(label = "EXTRA", value = "EXTRA"), @Option(label = "OFF", value = "OFF")})
    String pragma_synchronous() default "NORMAL";

    @AttributeDefinition(name = "PRAGMA cache_size", min = "-2000000", max = "2000000",
            description = "SQLite only. Page cache per connection: negative values are KiB (-64000 is about 64 MB), positive"
                    + " values are pages.")
    int pragma_cache__size() default -64000;

    @AttributeDefinition(name = "PRAGMA foreign_keys", description = "SQLite only. Enforce foreign key constraints.", options = {
            @Option(label = "ON", value = "ON"), @Option(label = "OFF", value = "OFF")})
    String pragma_foreign__keys() default "ON";

    @AttributeDefinition(name = "PRAGMA busy_timeout (ms)", min = "0", max = "3600000",
            description = "SQLite only. How long a connection waits for a lock held by another process before SQLITE_BUSY.")
    int pragma_busy__timeout() default 5000;

    @AttributeDefinition(name = "PRAGMA mmap_size (bytes)", min = "0", type = AttributeType.LONG,
            description = "SQLite only. Bytes of the file to memory-map; 0 turns memory mapping off.")
    long pragma_mmap__size() default 0L;

    @AttributeDefinition(name = "PRAGMA temp_store", description = "SQLite only. Where temporary tables and indices live.",
            options = {@Option(label = "MEMORY", value = "MEMORY"), @Option(label = "FILE", value = "FILE"),
                    @Option(label = "DEFAULT", value = "DEFAULT")})
    String pragma_temp__store() default "MEMORY";

    @AttributeDefinition(name = "PRAGMA journal_size_limit (bytes)", min = "-1",
            description = "Size the WAL or journal file is truncated to after a checkpoint; -1 for no limit.")
    long pragma_journal__size__limit() default -1L;

    @AttributeDefinition(name = "PRAGMA wal_autocheckpoint (pages)", min = "0", max = "1000000",
            description = "SQLite only. Checkpoint the WAL automatically when it reaches this many pages; 0 turns it off.")
    int pragma_wal__autocheckpoint() default 1000;

    @AttributeDefinition(name = "PRAGMA secure_delete", description = "SQLite only. Overwrite deleted content with zeros.",
            options = {@Option(label = "OFF", value = "OFF"), @Option(label = "ON", value = "ON"),
                    @Option(label = "FAST", value = "FAST")})
    String pragma_secure__delete() default "OFF";

    @AttributeDefinition(name = "PRAGMA auto_vacuum", description = "SQLite only. A property of the file: set when the engine"
            + " creates a new database file, changed on an existing one only by a VACUUM. INCREMENTAL lets scheduled"
            + " maintenance give free pages back.", options = {@Option(label = "NONE", value = "NONE"),
                    @Option(label = "FULL", value = "FULL"), @Option(label = "INCREMENTAL", value = "INCREMENTAL")})
    String pragma_auto__vacuum() default "NONE";

    @AttributeDefinition(name = "PRAGMA page_size (bytes)", min = "512", max = "65536",
            description = "SQLite only. A property of the file, a power of two: set when the engine creates a new database file,"
                    + " changed on an existing one only by a VACUUM outside WAL mode.")
    int pragma_page__size() default 4096;

    @AttributeDefinition(name = "Web Console name hint", description = "How the Web Console labels this engine.")
    String webconsole_configurationFactory_nameHint() default "{name} ({path})";
}
