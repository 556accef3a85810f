package dev.sqliteengine.api;

import java.util.regex.Pattern;

/**
 * The names of an engine's configuration properties and service properties, with their types
 * and defaults. The same names serve the Config Admin factory configuration
 * {@value #FACTORY_PID}, {@link EngineFactory#create(java.util.Map)} and the Gogo commands.
 * <p>
 * {@link #TYPE} chooses the database: SQLite (the default) or a PostgreSQL server. Most
 * properties apply to both; those of one type say so ("SQLite only", "PostgreSQL only"). A
 * property of the other type in a configuration is ignored, and the engine logs one WARN naming
 * such properties (never their values), so that a configuration can change its {@link #TYPE}
 * and keep everything else.
 * <p>
 * Values may be given with their documented type or as strings that convert to it
 * ({@code "8"} for an int, {@code "true"} for a boolean), as FileInstall {@code .cfg} files give
 * them.
 */
public final class EngineProperties {

    /** See {@link #isSecret(String)}. */
    private static final Pattern SECRET = Pattern.compile(
            "^\\..*|.*(password|passwd|secret).*|(.*[._-])?[a-z0-9]*(key|token|credentials?)([._-].*)?",
            Pattern.CASE_INSENSITIVE);

    private EngineProperties() {}

    /**
     * Whether a property may hold a secret, so that its value never appears in an error
     * message, a log line, {@link EngineStatus}, {@link EngineConfiguration} or shell output
     * (it is shown as {@value EngineConfiguration#MASK}): private properties (a leading
     * {@code .}, the Config Admin convention), names that contain {@code password},
     * {@code passwd} or {@code secret}, and names with a segment (between {@code .}, {@code _}
     * or {@code -}) that ends in {@code key}, {@code token}, {@code credential} or
     * {@code credentials} ({@code key}, {@code rekey}, {@code hexkey}, {@code apikey},
     * {@code authtoken}); in any case. Masking too much hides a harmless value, masking too
     * little leaks a secret, so the rule errs on the first side. {@code pragma.key},
     * {@code pragma.rekey} and {@code db.password} are secret; {@code pragma.foreign_keys} and
     * {@code pool.keepaliveTime} are not. Of this class's properties only {@link #PASSWORD} is.
     *
     * @param property a property name
     * @return whether its value must be masked
     */
    public static boolean isSecret(String property) {
        return property != null && SECRET.matcher(property).matches();
    }

    /** The Config Admin factory PID of engine configurations. */
    public static final String FACTORY_PID = "dev.sqliteengine.engine";

    // Identity

    /**
     * {@code String}: the engine's name, matching {@code [A-Za-z0-9_.-]+} (at most 64 characters)
     * and unique among running engines. In Config Admin it defaults to the PID without the
     * factory PID and the one separator after it: the factory configuration's name
     * ({@code dev.sqliteengine.engine~orders} gives {@code orders}), or, for a PID that Config
     * Admin made up ({@code createFactoryConfiguration}, the Web Console), the generated part
     * ({@code dev.sqliteengine.engine.<uuid>} gives the uuid).
     */
    public static final String NAME = "name";

    /**
     * {@code String}, default {@value #DEFAULT_TYPE}: the type of database, fixed for an engine's
     * life. {@code sqlite}: a SQLite database file ({@link #PATH}). {@code postgresql}: a
     * PostgreSQL server ({@link #URL}, or {@link #HOST}, {@link #PORT} and {@link #DATABASE};
     * {@link #USER}, {@link #PASSWORD}). In Config Admin, changing it closes the engine and opens a
     * new one (its services are registered anew, as for a change of {@link #NAME}).
     */
    public static final String TYPE = "type";

    /** Default of {@link #TYPE}. */
    public static final String DEFAULT_TYPE = "sqlite";

    /** The {@link #TYPE} value of a PostgreSQL server. */
    public static final String TYPE_POSTGRESQL = "postgresql";

    /**
     * {@code String}, SQLite only, required there: the database file. Relative paths are resolved
     * against the working directory; missing parent folders are created. {@value #MEMORY_PATH}
     * gives an in-memory database private to this engine that lives as long as the engine.
     */
    public static final String PATH = "path";

    /** The {@link #PATH} value for a private in-memory database. */
    public static final String MEMORY_PATH = ":memory:";

    /** {@code boolean}, default {@code false}: open the database read-only and refuse writes. */
    public static final String READ_ONLY = "readOnly";

    /**
     * {@code boolean}, default {@code false}: whether an engine made by an {@link EngineFactory}
     * outside OSGi (found with {@link java.util.ServiceLoader}, on the module path or the class
     * path) is registered with the platform MBean server as
     * {@code dev.sqliteengine:type=Engine,name=<name>}, the same MXBean (figures, health,
     * checkpoint, optimize) that every engine has inside OSGi. It is unregistered when the engine
     * closes. If that name is taken in the JVM (an engine of the same name from another factory,
     * or from a framework running in the same JVM), creating the engine fails with a
     * {@link ConfigurationException} naming this property, and nothing is left open. Inside OSGi
     * every engine is registered whatever this says. Fixed for the engine's life.
     */
    public static final String JMX_ENABLED = "jmx.enabled";

    // PostgreSQL (see docs/postgresql.md)

    /**
     * {@code String}, PostgreSQL only: the server's JDBC URL,
     * {@code jdbc:postgresql://host[:port]/database[?parameter=value&...]}, with pgjdbc's
     * connection parameters. It must not hold a password (use {@link #PASSWORD}): a URL with one
     * is refused. Either this or {@link #HOST} (with {@link #PORT}, {@link #DATABASE}), not both.
     */
    public static final String URL = "url";

    /**
     * {@code String}, PostgreSQL only, instead of {@link #URL}: the server's host name or address.
     */
    public static final String HOST = "host";

    /** {@code int}, PostgreSQL only, default {@value #DEFAULT_PORT}, 1 to 65535: the server's port, with {@link #HOST}. */
    public static final String PORT = "port";

    /** Default of {@link #PORT}. */
    public static final int DEFAULT_PORT = 5432;

    /**
     * {@code String}, PostgreSQL only, with {@link #HOST}: the database's name; without it the
     * server takes the user's name.
     */
    public static final String DATABASE = "database";

    /**
     * {@code String}, PostgreSQL only: the user to log in as; without it, pgjdbc takes the URL's
     * {@code user} parameter, else the name of the operating system user the JVM runs as.
     */
    public static final String USER = "user";

    /**
     * {@code String}, PostgreSQL only: the user's password. A secret ({@link #isSecret}): never
     * shown in messages, logs, {@link EngineStatus}, events, JMX or the shell. A change applies
     * through new connections, as a change of {@link #URL} or {@link #USER} does: work that runs
     * finishes on the old ones, and a password the server refuses leaves the engine serving on
     * them, the change rejected.
     */
    public static final String PASSWORD = "password";

    /**
     * {@code String}, PostgreSQL only, default {@value #DEFAULT_ISOLATION}: the isolation level
     * of write units and of the {@code DataSource}'s transactions: {@code READ_COMMITTED},
     * {@code REPEATABLE_READ} or {@code SERIALIZABLE}. Serialization failures and deadlocks
     * (SQLSTATE {@code 40001}, {@code 40P01}) make a write unit run again as a whole (see
     * {@link #WRITE_RETRIES}). Read units always see one snapshot ({@code REPEATABLE READ READ
     * ONLY}), whatever this says. A change applies through new connections.
     */
    public static final String ISOLATION = "isolation";

    /** Default of {@link #ISOLATION}. */
    public static final String DEFAULT_ISOLATION = "READ_COMMITTED";

    /**
     * {@code long} milliseconds, PostgreSQL only, default {@value #DEFAULT_LOCK_TIMEOUT}, 0 to
     * 3600000: how long a statement waits for a row or table lock another transaction holds
     * (PostgreSQL's {@code lock_timeout}; 0 waits as long as it takes) before it fails with
     * SQLSTATE {@code 55P03}, which a write unit runs again like a serialization failure. A
     * write unit with less of its {@link #WRITE_DEADLINE} left waits only that long. SQLite's
     * counterpart is {@code pragma.busy_timeout}. A change applies through new connections.
     */
    public static final String LOCK_TIMEOUT = "lockTimeout";

    /** Default of {@link #LOCK_TIMEOUT}. */
    public static final long DEFAULT_LOCK_TIMEOUT = 5_000L;

    /**
     * {@code String} or {@code String[]}, PostgreSQL only, optional: the JDBC URLs of streaming
     * replicas (hot standbys) of the server, {@code jdbc:postgresql://host[:port]/database}, at
     * most 16; in one string, separated by spaces or by commas. Read units and read-only
     * transactions of the {@code DataSource} and {@link Engine#connect()}
     * ({@code setReadOnly(true)}) run on a replica, taking turns when there are several; write
     * units, writing transactions, and read units nested in a write unit run on the primary. The
     * replicas log in as {@link #USER} with {@link #PASSWORD}: a streaming replica has the
     * primary's roles. A replica that cannot serve (down, unreachable, not a standby) is passed
     * over, reads run on the primary and health says so ({@link EngineHealth#REPLICAS}), and
     * reads return to it by themselves once it serves again. A change applies through new
     * connections, as a change of {@link #URL} does.
     */
    public static final String REPLICAS = "replicas";

    /**
     * {@code String}, PostgreSQL only, default {@value #DEFAULT_REPLICAS_READ_YOUR_WRITES}: whether
     * a read on a replica must see what this engine committed before it began (read-your-writes),
     * for every thread of the engine. {@code primary}: a read runs on the primary while no replica
     * has replayed the engine's last commit; {@code wait}: it waits for a replica to replay it, at
     * most {@link #REPLICAS_READ_YOUR_WRITES_TIMEOUT}, then runs on the primary; {@code off}: it
     * reads a replica as it is, however far behind. With {@code primary} and {@code wait} every
     * commit asks the primary for its position in the write-ahead log (one more round trip after
     * the commit); with {@code off} nothing is asked. Takes effect at once, for commits from then on.
     */
    public static final String REPLICAS_READ_YOUR_WRITES = "replicas.readYourWrites";

    /** Default of {@link #REPLICAS_READ_YOUR_WRITES}. */
    public static final String DEFAULT_REPLICAS_READ_YOUR_WRITES = "primary";

    /**
     * {@code long} milliseconds, PostgreSQL only, default
     * {@value #DEFAULT_REPLICAS_READ_YOUR_WRITES_TIMEOUT}, 1 to 60000: with
     * {@link #REPLICAS_READ_YOUR_WRITES}{@code =wait}, how long a read waits for a replica to
     * replay the engine's last commit before it runs on the primary. Takes effect at once.
     */
    public static final String REPLICAS_READ_YOUR_WRITES_TIMEOUT = "replicas.readYourWritesTimeout";

    /** Default of {@link #REPLICAS_READ_YOUR_WRITES_TIMEOUT}. */
    public static final long DEFAULT_REPLICAS_READ_YOUR_WRITES_TIMEOUT = 500L;

    // Sizes (OSGi Transaction Control names)

    /**
     * {@code int}, default {@value #DEFAULT_CONNECTION_MAX}, 1 to 1000: the maximum size of the
     * reader pool and, separately, of the pool behind the {@code DataSource}. On SQLite, write
     * units always use the one writer connection; on PostgreSQL the writer pool's size is
     * {@link #WRITE_CONNECTIONS}.
     */
    public static final String CONNECTION_MAX = "osgi.connection.max";

    /** Default of {@link #CONNECTION_MAX}. */
    public static final int DEFAULT_CONNECTION_MAX = 10;

    /**
     * {@code int}, default {@value #DEFAULT_CONNECTION_MIN}, 0 to {@link #CONNECTION_MAX}: idle
     * reader connections the pool keeps open.
     */
    public static final String CONNECTION_MIN = "osgi.connection.min";

    /** Default of {@link #CONNECTION_MIN}. */
    public static final int DEFAULT_CONNECTION_MIN = 1;

    // Timeouts

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_CONNECTION_TIMEOUT}, at least 250: how
     * long a caller waits for a connection, or a write unit for the writer, before a
     * {@link ConnectionException}. A write unit's waiting in all is bounded by
     * {@link #WRITE_DEADLINE} too.
     */
    public static final String CONNECTION_TIMEOUT = "osgi.connection.timeout";

    /** Default of {@link #CONNECTION_TIMEOUT}. */
    public static final long DEFAULT_CONNECTION_TIMEOUT = 30_000L;

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_IDLE_TIMEOUT}: how long a connection
     * beyond {@link #CONNECTION_MIN} may sit idle before it is closed; 0 keeps idle connections
     * forever, otherwise at least 10000.
     */
    public static final String IDLE_TIMEOUT = "osgi.idle.timeout";

    /** Default of {@link #IDLE_TIMEOUT}. */
    public static final long DEFAULT_IDLE_TIMEOUT = 600_000L;

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_CONNECTION_LIFETIME}: the longest a
     * connection lives before it is retired (when idle); 0 for no limit, otherwise at least 30000.
     */
    public static final String CONNECTION_LIFETIME = "osgi.connection.lifetime";

    /** Default of {@link #CONNECTION_LIFETIME}. */
    public static final long DEFAULT_CONNECTION_LIFETIME = 1_800_000L;

    /**
     * {@code long} milliseconds, default 0 (off): a connection checked out for longer than this
     * is logged as a possible leak, with the stack trace of its checkout; otherwise at least 2000.
     */
    public static final String LEAK_DETECTION_THRESHOLD = "pool.leakDetectionThreshold";

    /**
     * {@code long} milliseconds, default 0 (off): how often idle connections are touched to keep
     * them alive; otherwise at least 30000 and below {@link #CONNECTION_LIFETIME}.
     */
    public static final String KEEPALIVE_TIME = "pool.keepaliveTime";

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_DRAIN_TIMEOUT}, 0 to 600000: on a
     * change that replaces the pool, and on close, how long work already running on the old
     * pool may go on before its connections are closed under it.
     */
    public static final String DRAIN_TIMEOUT = "drainTimeout";

    /** Default of {@link #DRAIN_TIMEOUT}. */
    public static final long DEFAULT_DRAIN_TIMEOUT = 10_000L;

    // Writes

    /**
     * {@code int}, default {@value #DEFAULT_WRITE_RETRIES}, 0 to 100: how many more times a write
     * unit that failed as a whole with a transient code (SQLite: BUSY, BUSY_SNAPSHOT, LOCKED;
     * PostgreSQL: SQLSTATE {@code 40001} serialization failure, {@code 40P01} deadlock,
     * {@code 55P03} lock not available) is run, within {@link #WRITE_DEADLINE}. The waits before all these retries (see
     * {@link #WRITE_RETRY_BACKOFF}) must add up to at most {@link #WRITE_DEADLINE}: a configuration
     * whose retries could never all run is refused.
     */
    public static final String WRITE_RETRIES = "write.retries";

    /** Default of {@link #WRITE_RETRIES}. */
    public static final int DEFAULT_WRITE_RETRIES = 3;

    /**
     * {@code int}, PostgreSQL only, default {@value #DEFAULT_WRITE_CONNECTIONS}, 1 to 1000: how
     * many write units (and writing transactions of the {@code DataSource} and
     * {@link Engine#connect()}) run at once, each on a connection of the writer pool, which has
     * this size. Others wait in the writer queue ({@link #WRITE_QUEUE}) for one to finish. SQLite
     * has exactly one writer. Takes effect at once.
     */
    public static final String WRITE_CONNECTIONS = "write.connections";

    /** Default of {@link #WRITE_CONNECTIONS}. */
    public static final int DEFAULT_WRITE_CONNECTIONS = 10;

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_WRITE_RETRY_BACKOFF}, 0 to 60000: the
     * wait before the first retry of a write unit; it doubles with every further retry, up to at
     * most 60000 ms for one wait.
     */
    public static final String WRITE_RETRY_BACKOFF = "write.retryBackoff";

    /** Default of {@link #WRITE_RETRY_BACKOFF}. */
    public static final long DEFAULT_WRITE_RETRY_BACKOFF = 50L;

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_WRITE_DEADLINE}, 250 to 86400000: the
     * longest a write unit waits in all, from the call to
     * {@link ConnectionManager#write(SqlWork)} on: in the writer queue (each wait also at most
     * {@link #CONNECTION_TIMEOUT}), for locks held by other processes (SQLite's
     * {@code busy_timeout} is shortened for a run that would end past the deadline), and between
     * retries. When it passes, or the next retry could only start after it, the unit fails with a
     * {@link ConnectionException} that names this property. The time the work itself runs is not
     * cut short. Applies to write units; takes effect at once.
     */
    public static final String WRITE_DEADLINE = "write.deadline";

    /** Default of {@link #WRITE_DEADLINE}. */
    public static final long DEFAULT_WRITE_DEADLINE = 60_000L;

    /**
     * {@code String}, default {@value #DEFAULT_WRITE_QUEUE}: how writers (write units, and the
     * transactions and writing statements of {@link Engine#dataSource()} and
     * {@link Engine#connect()}) queue for the writer.
     * <ul>
     * <li>{@code fifo}: first come, first served; every hand-off wakes the next waiter.</li>
     * <li>{@code bounded}: a writer that is already running may take a free writer ahead of those
     * waiting, but only while the first of them has been first for less than
     * {@link #WRITE_BARGE_LIMIT}; then it gets the writer next, and nobody overtakes it. Far fewer
     * wake-ups under contention, and each wait stays bounded by the queue's length times (the
     * limit + the longest write).</li>
     * <li>{@code barging}: a writer that finds the writer free takes it; no order among
     * waiters.</li>
     * </ul>
     * Every wait is at most {@link #CONNECTION_TIMEOUT} (and {@link #WRITE_DEADLINE} for write
     * units). Takes effect at once. On PostgreSQL the queue admits {@link #WRITE_CONNECTIONS}
     * writers at once and hands a place that comes free to the longest waiter, whatever this
     * says: these orders are for SQLite's single writer. {@code bounded} is the default: in a quiet run it gave 2.1× the
     * write throughput of {@code fifo} under 8 writers, and 1.8× its {@code DataSource}
     * read-then-update transactions, for a write p99 1.1× fifo's (BENCHMARKS.md).
     */
    public static final String WRITE_QUEUE = "write.queue";

    /** Default of {@link #WRITE_QUEUE}. */
    public static final String DEFAULT_WRITE_QUEUE = "bounded";

    /**
     * {@code long} microseconds, default {@value #DEFAULT_WRITE_BARGE_LIMIT}, 10 to 1000000: with
     * {@code write.queue=bounded}, how long the first waiting writer may be overtaken by running
     * ones before it gets the writer next. Larger: fewer hand-offs (more throughput), a longer
     * wait for whoever is queued behind a run of writers. Takes effect at once.
     */
    public static final String WRITE_BARGE_LIMIT = "write.bargeLimit";

    /** Default of {@link #WRITE_BARGE_LIMIT}. */
    public static final long DEFAULT_WRITE_BARGE_LIMIT = 500L;

    /**
     * {@code int}, SQLite only, default {@value #DEFAULT_WRITE_GROUP_COMMIT}, 1 to 1000: the most
     * write units that share one transaction and one commit (group commit). Write units that queue while
     * another one runs join its transaction, in the order they queued, each on its own thread and
     * under a savepoint of its own: a unit that fails is undone alone and the others go on, and
     * each unit returns only once the commit that holds its work succeeded (should that commit
     * fail, or another unit make the database end the transaction, the units whose work was lost
     * with it run again, each alone). Seen from the database, the result is the same as if each
     * had committed on its own in turn; the saving is one {@code BEGIN} and one {@code COMMIT}
     * (for SQLite: one write of the changed pages to the WAL, one sync with
     * {@code synchronous=FULL}) per group instead of per unit. A unit's commit waits for at most
     * this many units minus one after it. {@code 1} commits every unit on its own. Applies to
     * write units only (not to {@link Engine#connect()} or {@link Engine#dataSource()}
     * transactions, which the caller ends); takes effect with the next transaction. Only a
     * database whose writers take turns on one connection can group their commits: on PostgreSQL,
     * whose write units run side by side ({@link #WRITE_CONNECTIONS}), every unit commits on its
     * own, and this property is ignored like SQLite's other ones.
     */
    public static final String WRITE_GROUP_COMMIT = "write.groupCommit";

    /** Default of {@link #WRITE_GROUP_COMMIT}. */
    public static final int DEFAULT_WRITE_GROUP_COMMIT = 16;

    /**
     * Replaced by {@link #WRITE_QUEUE}: {@code true} is {@code write.queue=fifo}, {@code false}
     * is {@code write.queue=barging}. A configuration that still sets it is refused with an error
     * that says so.
     *
     * @deprecated use {@link #WRITE_QUEUE}
     */
    @Deprecated
    public static final String WRITE_FAIR_QUEUE = "write.fairQueue";

    // Statement logging

    /**
     * {@code String}, default {@value #DEFAULT_LOG_STATEMENTS}: which statements the engine logs,
     * through slf4j under the logger {@code dev.sqliteengine.sql.<engine name>}, each with its
     * SQL text (whitespace collapsed, at most 1000 characters), duration, rows and the engine
     * name. {@code off} logs nothing and costs nothing; {@code slow} logs, at WARN, the statements
     * that took at least {@link #LOG_SLOW_THRESHOLD}; {@code all} logs every statement at INFO
     * (and the slow ones at WARN). A query is logged when its rows are read to the end or its
     * {@code ResultSet} or statement is closed, with the rows read and the time spent executing
     * and fetching; an update when it returns, with its update count. The engine's own
     * {@code BEGIN}/{@code COMMIT} of units and statements run through an unwrapped driver
     * connection are not logged. Takes effect at once, without new connections.
     */
    public static final String LOG_STATEMENTS = "log.statements";

    /** Default of {@link #LOG_STATEMENTS}. */
    public static final String DEFAULT_LOG_STATEMENTS = "off";

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_LOG_SLOW_THRESHOLD}, 0 to 86400000: a
     * statement that takes at least this long is slow (see {@link #LOG_STATEMENTS}).
     */
    public static final String LOG_SLOW_THRESHOLD = "log.slowThreshold";

    /** Default of {@link #LOG_SLOW_THRESHOLD}. */
    public static final long DEFAULT_LOG_SLOW_THRESHOLD = 100L;

    /**
     * {@code boolean}, default {@code false}: whether logged prepared statements show their
     * bound parameters. Even then, every parameter of a statement whose text contains a
     * secret-looking name (by the rule of {@link #isSecret(String)}, applied to each word of the
     * SQL: {@code password}, {@code api_key}, {@code token}, …) is shown as
     * {@value EngineConfiguration#MASK}, and so are the string literals in such a statement's
     * text (with or without this property). Applies to statements prepared after the change.
     */
    public static final String LOG_PARAMETERS = "log.parameters";

    /**
     * {@code int}, default {@value #DEFAULT_STATEMENT_CACHE_SIZE}, 0 to 1000: how many prepared
     * statements each connection keeps for reuse, by SQL text (least recently used ones go
     * first). A statement prepared again on a connection that kept it skips SQLite's parse and
     * plan: a prepared point read costs about half as much then. {@code 0} turns the cache off.
     * <p>
     * What the cache guarantees: a statement is closed as JDBC says (every later call fails), and
     * the next user of its SQL gets it without parameters, batch, open rows or changed settings; a
     * statement whose settings were changed ({@code setMaxRows}, {@code setQueryTimeout},
     * {@code setFetchSize}, …), that was unwrapped or that ran with {@code execute()} is not kept.
     * A statement that may change the schema ({@code CREATE}, {@code DROP}, {@code ALTER},
     * {@code ATTACH}, {@code DETACH}) run through the engine, or any use of an unwrapped driver
     * connection, makes every kept statement stale. Schema changes made by another process are
     * not seen: SQLite re-prepares the statement itself, but the driver keeps the columns it read
     * when it prepared it, so a kept {@code SELECT *} would show the old columns; set 0 when
     * another process changes the schema of a running engine's tables. Takes effect at once.
     */
    public static final String STATEMENT_CACHE_SIZE = "statement.cacheSize";

    /** Default of {@link #STATEMENT_CACHE_SIZE}. */
    public static final int DEFAULT_STATEMENT_CACHE_SIZE = 32;
    // Health (see EngineHealth)

    /**
     * {@code long} milliseconds, SQLite only, default {@value #DEFAULT_HEALTH_QUICK_CHECK_INTERVAL} (an hour):
     * how often {@code PRAGMA quick_check} runs, in the background, in a read unit (on a reader
     * connection, never the writer, so writes go on meanwhile); the first run is one interval
     * after the engine opened. A damaged file makes {@link Engine#health()} CRITICAL. It reads
     * the whole file, so on a large database it is long I/O and holds one read snapshot for its
     * duration. 0 turns it off, otherwise 1000 to 604800000 (a week). Never runs on an in-memory
     * database. Takes effect at once.
     */
    public static final String HEALTH_QUICK_CHECK_INTERVAL = "health.quickCheckInterval";

    /** Default of {@link #HEALTH_QUICK_CHECK_INTERVAL}. */
    public static final long DEFAULT_HEALTH_QUICK_CHECK_INTERVAL = 3_600_000L;

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_HEALTH_SATURATION_THRESHOLD}: health is
     * WARN while a pool (the writer queue, the readers or the {@code DataSource}'s pool) has had
     * threads waiting for a connection, without a moment with none, for longer than this. Pools
     * are looked at four times a second. 0 turns it off, otherwise 250 to 86400000.
     */
    public static final String HEALTH_SATURATION_THRESHOLD = "health.saturationThreshold";

    /** Default of {@link #HEALTH_SATURATION_THRESHOLD}. */
    public static final long DEFAULT_HEALTH_SATURATION_THRESHOLD = 10_000L;

    /**
     * {@code long} bytes, SQLite only, default {@value #DEFAULT_HEALTH_WAL_WARN_SIZE} (64 MiB): health is WARN
     * while the database's {@code -wal} file is larger than this, a sign that checkpoints cannot
     * keep up or that a long read holds them back. SQLite reuses the file from its start after a
     * checkpoint without shrinking it unless {@code pragma.journal_size_limit} is set, so one big
     * transaction keeps it large until then. 0 turns it off, otherwise 1 to 1099511627776.
     */
    public static final String HEALTH_WAL_WARN_SIZE = "health.walWarnSize";

    /** Default of {@link #HEALTH_WAL_WARN_SIZE}. */
    public static final long DEFAULT_HEALTH_WAL_WARN_SIZE = 64L * 1024 * 1024;

    /**
     * {@code long} milliseconds, default {@value #DEFAULT_HEALTH_ERROR_WINDOW} (5 minutes):
     * health is WARN when units of work or connections failed (see
     * {@link EngineStatus#errors()}) within the last this many milliseconds. 0 turns it off,
     * otherwise 1000 to 86400000.
     */
    public static final String HEALTH_ERROR_WINDOW = "health.errorWindow";

    /** Default of {@link #HEALTH_ERROR_WINDOW}. */
    public static final long DEFAULT_HEALTH_ERROR_WINDOW = 300_000L;

    // Maintenance (see docs/maintenance-and-backup.md); none of it runs on a
    // read-only or in-memory engine

    /**
     * {@code long} milliseconds, SQLite only, default {@value #DEFAULT_MAINTENANCE_CHECKPOINT_INTERVAL}, 0 (off)
     * or 1000 to 86400000: how often the engine runs {@code PRAGMA wal_checkpoint(PASSIVE)}, which
     * copies what it can from the WAL into the database without waiting for anyone. WAL mode only.
     */
    public static final String MAINTENANCE_CHECKPOINT_INTERVAL = "maintenance.checkpointInterval";

    /** Default of {@link #MAINTENANCE_CHECKPOINT_INTERVAL}. */
    public static final long DEFAULT_MAINTENANCE_CHECKPOINT_INTERVAL = 60_000L;

    /**
     * {@code long} milliseconds, SQLite only, default {@value #DEFAULT_MAINTENANCE_IDLE_TRUNCATE_AFTER}, 0 (off)
     * or 1000 to 86400000: once no write has committed for this long, the next maintenance round
     * runs {@code PRAGMA wal_checkpoint(TRUNCATE)}, which resets the WAL file to zero bytes, so
     * the WAL stays bounded even when long readers kept passive checkpoints from finishing. It
     * holds the writer for at most {@link #MAINTENANCE_SLICE} and gives up (to try again at the
     * next round) when a reader still needs the WAL by then. WAL mode only.
     */
    public static final String MAINTENANCE_IDLE_TRUNCATE_AFTER = "maintenance.idleTruncateAfter";

    /** Default of {@link #MAINTENANCE_IDLE_TRUNCATE_AFTER}. */
    public static final long DEFAULT_MAINTENANCE_IDLE_TRUNCATE_AFTER = 30_000L;

    /**
     * {@code long} milliseconds, SQLite only, default {@value #DEFAULT_MAINTENANCE_OPTIMIZE_INTERVAL}, 0 (off)
     * or 1000 to 86400000: how often the engine runs {@code PRAGMA optimize} (with
     * {@code analysis_limit=400}, so it stays short); it also runs when the engine closes, unless
     * this is 0.
     */
    public static final String MAINTENANCE_OPTIMIZE_INTERVAL = "maintenance.optimizeInterval";

    /** Default of {@link #MAINTENANCE_OPTIMIZE_INTERVAL}. */
    public static final long DEFAULT_MAINTENANCE_OPTIMIZE_INTERVAL = 3_600_000L;

    /**
     * {@code long} milliseconds, SQLite only, default {@value #DEFAULT_MAINTENANCE_VACUUM_INTERVAL}, 0 (off) or
     * 1000 to 86400000: how often the engine gives free pages back to the file system with
     * {@code PRAGMA incremental_vacuum}, in steps that each hold the writer for about
     * {@link #MAINTENANCE_SLICE}. Only a database whose {@code auto_vacuum} is
     * {@code INCREMENTAL} has anything to give back (see {@code pragma.auto_vacuum}).
     */
    public static final String MAINTENANCE_VACUUM_INTERVAL = "maintenance.vacuumInterval";

    /** Default of {@link #MAINTENANCE_VACUUM_INTERVAL}. */
    public static final long DEFAULT_MAINTENANCE_VACUUM_INTERVAL = 600_000L;

    /**
     * {@code long} milliseconds, SQLite only, default {@value #DEFAULT_MAINTENANCE_SLICE}, 10 to 10000: how
     * long one maintenance step may hold the engine's writer: a TRUNCATE checkpoint waits at most
     * this long for readers, and incremental vacuum sizes its steps to it. A checkpoint's own
     * copying lasts as long as the WAL is large (the same work SQLite's automatic checkpoint does
     * at a commit).
     */
    public static final String MAINTENANCE_SLICE = "maintenance.slice";

    /** Default of {@link #MAINTENANCE_SLICE}. */
    public static final long DEFAULT_MAINTENANCE_SLICE = 100L;

    /**
     * {@code long} milliseconds, SQLite only, default 0 (off), or 1000 to 604800000 (a week): how often the
     * engine writes a backup into {@link #BACKUP_DIRECTORY} with {@link Engine#backup}. Needs
     * {@link #BACKUP_DIRECTORY}.
     */
    public static final String BACKUP_INTERVAL = "backup.interval";

    /**
     * {@code String}, SQLite only, no default: the folder scheduled backups go to, as
     * {@code <name>-<yyyyMMdd-HHmmss-SSS>.db}; an absolute path, below the allowed root when one is
     * set. Required when {@link #BACKUP_INTERVAL} is set.
     */
    public static final String BACKUP_DIRECTORY = "backup.directory";

    /**
     * {@code int}, SQLite only, default {@value #DEFAULT_BACKUP_RETAIN}, 1 to 10000: how many scheduled backups
     * of this engine are kept in {@link #BACKUP_DIRECTORY}; after each new one, the oldest beyond
     * this count are deleted. Backups taken by hand elsewhere are never touched.
     */
    public static final String BACKUP_RETAIN = "backup.retain";

    /** Default of {@link #BACKUP_RETAIN}. */
    public static final int DEFAULT_BACKUP_RETAIN = 7;

    // Pragmas

    /**
     * SQLite only: the prefix of pragma properties, {@code pragma.<name>}. Only the pragmas of an allow-list
     * are accepted, each with its allowed values or range:
     * <table>
     * <caption>Pragmas</caption>
     * <tr><th>property</th><th>allowed</th><th>default</th></tr>
     * <tr><td>{@code pragma.journal_mode}</td><td>DELETE, TRUNCATE, PERSIST, MEMORY, WAL, OFF</td><td>WAL</td></tr>
     * <tr><td>{@code pragma.synchronous}</td><td>OFF, NORMAL, FULL, EXTRA</td><td>NORMAL</td></tr>
     * <tr><td>{@code pragma.cache_size}</td><td>-2000000 to 2000000 (negative: KiB, positive: pages)</td><td>-64000</td></tr>
     * <tr><td>{@code pragma.foreign_keys}</td><td>ON, OFF (or true, false, 1, 0)</td><td>ON</td></tr>
     * <tr><td>{@code pragma.busy_timeout}</td><td>0 to 3600000 ms</td><td>5000</td></tr>
     * <tr><td>{@code pragma.mmap_size}</td><td>0 to 1099511627776 bytes</td><td>0</td></tr>
     * <tr><td>{@code pragma.temp_store}</td><td>DEFAULT, FILE, MEMORY</td><td>MEMORY</td></tr>
     * <tr><td>{@code pragma.journal_size_limit}</td><td>-1 to 1099511627776 bytes</td><td>-1</td></tr>
     * <tr><td>{@code pragma.wal_autocheckpoint}</td><td>0 to 1000000 pages</td><td>1000</td></tr>
     * <tr><td>{@code pragma.secure_delete}</td><td>ON, OFF, FAST</td><td>OFF</td></tr>
     * <tr><td>{@code pragma.auto_vacuum}</td><td>NONE, FULL, INCREMENTAL</td><td>NONE</td></tr>
     * <tr><td>{@code pragma.page_size}</td><td>a power of two from 512 to 65536 bytes</td><td>4096</td></tr>
     * </table>
     * {@code pragma.auto_vacuum} and {@code pragma.page_size} are properties of the file, not
     * of a connection: they take effect when the engine creates a new (or empty) database file,
     * and on an existing file only through a {@code VACUUM} run on a connection of this engine
     * (the page size not in WAL mode); until then the engine logs that the file differs.
     */
    public static final String PRAGMA_PREFIX = "pragma.";

    // Service properties

    /**
     * Service property: the engine's name, on the {@code Engine}, {@code ConnectionManager} and
     * {@code DataSource} services. On an {@link EngineListener} service, a {@code String} that
     * limits the listener to the engine of that name; without it the listener hears every engine.
     */
    public static final String ENGINE_NAME = "engine.name";

    /** Service property: the engine's name, as Pax JDBC and Karaf's {@code jdbc:*} commands expect it. */
    public static final String DATA_SOURCE_NAME = "dataSourceName";

    /** Service property: the engine's name, for JNDI lookups ({@code osgi:service/<name>}). */
    public static final String JNDI_SERVICE_NAME = "osgi.jndi.service.name";
}
