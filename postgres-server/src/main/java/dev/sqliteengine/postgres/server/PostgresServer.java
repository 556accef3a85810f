package dev.sqliteengine.postgres.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A running PostgreSQL server of the tests: a {@link PostgresPrimary} or a {@link PostgresReplica}.
 * It listens on {@value #HOST} only, on a port chosen free when it first started and kept across
 * {@link #stop()}/{@link #start()} and {@link #kill()}/{@link #start()}, and it lives in a folder
 * of its own, which {@link #close()} deletes.
 * <p>
 * Life cycle, each transition one method that checks the state it starts from:
 * <pre>
 * RUNNING --stop()--&gt; STOPPED   fast shutdown: in-flight transactions roll back
 * RUNNING --kill()--&gt; STOPPED   SIGKILL to the postmaster and all its processes, like a crash
 * STOPPED --start()-&gt; RUNNING   on the same port and folder; after kill() PostgreSQL recovers from its WAL
 * RUNNING, STOPPED --close()--&gt; CLOSING --&gt; CLOSED   stopped, folder deleted; close() again does nothing
 * </pre>
 * Transitions hold this object's monitor; {@link #isRunning()} and the connection details take no
 * lock. If the JVM ends without {@link #close()}, a shutdown hook stops the server and deletes its
 * folder; if the JVM is killed, the server stops by itself ({@link Postmaster}'s watchdog) and the
 * next server started on the machine deletes the folder.
 */
public abstract sealed class PostgresServer implements AutoCloseable permits PostgresPrimary, PostgresReplica {

    /** The only address the servers listen on. */
    public static final String HOST = "127.0.0.1";

    /** initdb, pg_basebackup and a start on a busy two-core machine take seconds; this is the bound. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    private static final System.Logger LOG = System.getLogger(PostgresServer.class.getName());

    private enum State {
        RUNNING,
        STOPPED,
        CLOSING,
        CLOSED
    }

    private final String role;
    private final Binaries binaries;
    private final BaseFolder base;
    private final ServerFolder folder;
    private final int port;
    private final Thread shutdownHook;
    private volatile State state = State.RUNNING;
    /** The current run; the last one when STOPPED. Written under the monitor, read anywhere. */
    private volatile Postmaster postmaster;

    PostgresServer(String role, Binaries binaries, BaseFolder base, ServerFolder folder, Startup.Launched launched) {
        this.role = role;
        this.binaries = binaries;
        this.base = base;
        this.folder = folder;
        this.port = launched.port();
        this.postmaster = launched.postmaster();
        this.shutdownHook = new Thread(this::stopAtExit, "postgres-" + role + "-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** @return {@value #HOST} */
    public String host() {
        return HOST;
    }

    /** @return the TCP port */
    public int port() {
        return port;
    }

    /** @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** @return the superuser's name (a replica has its primary's) */
    public abstract String superuser();

    /** @return the superuser's current password (a replica has its primary's) */
    public abstract String superuserPassword();

    /** @return a pgjdbc DataSource (no pool) that connects to the database as the given role */
    public DataSource dataSource(String database, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {HOST});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** @return a pgjdbc DataSource (no pool) that connects to the database as the superuser */
    public DataSource superuserDataSource(String database) {
        return dataSource(database, superuser(), superuserPassword());
    }

    /** @return the server's folder (data, socket, logs) */
    public Path folder() {
        return folder.path();
    }

    /** @return the data folder (PGDATA) */
    public Path dataFolder() {
        return folder.data();
    }

    /** @return the postmaster's log, kept across restarts until {@link #close()} */
    public Path logFile() {
        return folder.serverLog();
    }

    /** @return the postmaster process of the current run, while it runs */
    public Optional<ProcessHandle> postmasterProcess() {
        Postmaster run = postmaster;
        return state == State.RUNNING && run.isAlive() ? Optional.of(run.process()) : Optional.empty();
    }

    /** @return whether the server runs (started, and its postmaster alive) */
    public boolean isRunning() {
        return state == State.RUNNING && postmaster.isAlive();
    }

    /** Fast shutdown: open transactions roll back, clients are disconnected, the data stays. */
    public synchronized void stop() {
        requireState(State.RUNNING, "stop");
        Postmaster run = postmaster;
        boolean clean = run.stop(STOP_TIMEOUT);
        state = State.STOPPED;
        if (!clean) {
            throw new PostgresServerException(this + " did not shut down within " + STOP_TIMEOUT.toSeconds()
                    + " s and was killed. Its log:\n" + run.logSinceLaunch());
        }
    }

    /**
     * Starts the server again, on the same port and folder. After {@link #kill()} PostgreSQL
     * recovers from its WAL: what was committed is there, what was not is gone. A postmaster that
     * died by other means counts as stopped.
     */
    public synchronized void start() {
        if (state == State.RUNNING && !postmaster.isAlive()) {
            postmaster.kill(); // reaps what is left of it
            state = State.STOPPED;
        }
        requireState(State.STOPPED, "start");
        postmaster = Startup.onPort(base.account(), binaries, folder, port, toString());
        state = State.RUNNING;
    }

    /**
     * Kills the postmaster and all its processes with SIGKILL, as a crash of the machine would:
     * clients lose their connections at once, nothing is written any more.
     */
    public synchronized void kill() {
        requireState(State.RUNNING, "kill");
        postmaster.kill();
        state = State.STOPPED;
    }

    /** {@link #stop()}, then {@link #start()}. */
    public synchronized void restart() {
        stop();
        start();
    }

    /**
     * Stops the server if it runs and deletes its folder. Closing a primary closes its replicas
     * first. Closing again does nothing.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSING || state == State.CLOSED) {
                return;
            }
            boolean wasRunning = state == State.RUNNING;
            state = State.CLOSING;
            closeDependents();
            boolean clean = !wasRunning || postmaster.stop(STOP_TIMEOUT);
            afterStop();
            folder.delete();
            state = State.CLOSED;
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway and finds nothing left to do
            }
            if (!clean) {
                throw new PostgresServerException(this + " did not shut down within " + STOP_TIMEOUT.toSeconds()
                        + " s and was killed; its folder is deleted");
            }
        }
    }

    @Override
    public String toString() {
        return "[postgres " + role + " " + HOST + ":" + port + "]";
    }

    /** Closes what depends on this server (a primary's replicas); runs first in {@link #close()}. */
    void closeDependents() {}

    /** Runs in {@link #close()} once the postmaster is stopped (a replica drops its slot). */
    void afterStop() {}

    /** @return whether {@link #close()} has begun */
    boolean closing() {
        return state == State.CLOSING || state == State.CLOSED;
    }

    Binaries binaries() {
        return binaries;
    }

    BaseFolder base() {
        return base;
    }

    ServerFolder serverFolder() {
        return folder;
    }

    /** Runs statements as the superuser, each in its own transaction (CREATE DATABASE needs that). */
    void execute(String database, String what, String... statements) {
        try (Connection connection = superuserDataSource(database).getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new PostgresServerException(this + " could not " + what + ": " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** @return the first column of the first row of a query run as the superuser, as text */
    String queryText(String database, String sql, String... parameters) {
        try (Connection connection = superuserDataSource(database).getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new PostgresServerException(this + " could not run " + sql + ": " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** Logs how long the server took to come up, from its empty folder to accepting connections. */
    void logStarted(long beganNanos) {
        LOG.log(System.Logger.Level.INFO, "{0} started in {1,number,#} ms, {2}, programs of {3}, folder {4}", this,
                Duration.ofNanos(System.nanoTime() - beganNanos).toMillis(),
                base.account().switched() ? "as " + base.account().name() : "as this JVM's user", binaries.folder(), folder.path());
    }

    private void requireState(State required, String transition) {
        if (state != required) {
            throw new IllegalStateException(this + " cannot " + transition + ": it is " + state.name().toLowerCase()
                    + (required == State.RUNNING ? "; start() it first" : ""));
        }
        assert state != State.RUNNING || postmaster != null : "a running server has a postmaster";
    }

    /** The shutdown hook: no lock (a thread may hold it as the JVM exits), best effort. */
    private void stopAtExit() {
        if (state == State.CLOSED) {
            return;
        }
        Postmaster run = postmaster;
        if (run != null && run.isAlive()) {
            run.stop(Duration.ofSeconds(20));
        }
        try {
            folder.delete();
        } catch (PostgresServerException e) {
            // the next server's sweep deletes it
        }
    }
}
