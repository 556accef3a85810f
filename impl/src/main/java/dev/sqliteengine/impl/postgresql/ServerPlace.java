package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.WalFigures;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.PostgresqlSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database on a PostgreSQL server, by its JDBC URL, and how the pools' connections to it are
 * made: pgjdbc's {@code PGSimpleDataSource} (HikariCP pools what it opens) with the user and
 * password, the engine's name as {@code application_name}, and start-up options that give each
 * connection its lock wait, the isolation of its transactions and, for readers and a read-only
 * engine, transactions that refuse writes, without a statement of their own.
 * <p>
 * The place holds nothing: the server is there for any number of engines, claims no file, never
 * moves (a change of URL is new settings, hence a new place), and keeps its own write-ahead log.
 */
final class ServerPlace implements DatabasePlace {

    /** The longest a new connection may take to reach the server, in seconds, whatever the pool waits. */
    private static final int MAX_CONNECT_SECONDS = 30;

    private final String url;

    /** @param url the server's JDBC URL, which holds no password */
    ServerPlace(String url) {
        this.url = url;
    }

    /** @return the URL: status, service properties and messages show it, and it never holds a password */
    @Override
    public String shown() {
        return url;
    }

    @Override
    public Path claim() {
        return null;
    }

    @Override
    public String fault() {
        return null;
    }

    @Override
    public boolean present() {
        return true;
    }

    @Override
    public DatabasePlace relocate(EngineSettings next, Path allowedRoot) {
        String nextUrl = next.postgresql().url();
        return url.equals(nextUrl) ? this : new ServerPlace(nextUrl);
    }

    @Override
    public DatabasePlace reopen(EngineSettings settings, Path allowedRoot) {
        return this;
    }

    @Override
    public void release() {
        // nothing is kept alive for the engine
    }

    @Override
    public void prepare(EngineSettings settings) {
        // the server's database exists, or the first connection says it does not
    }

    /**
     * Timeouts: connecting is bounded (by the pool's connection timeout, at most
     * {@value #MAX_CONNECT_SECONDS} s), so a server that does not answer fails a checkout in
     * time; reading from the socket is not, since that would cut short statements that run long,
     * which the engine never does on SQLite either. A connection whose server went away is found
     * by TCP keep-alive, by HikariCP's check of a connection idle for a while before it is handed
     * out, or by the next statement, which fails with SQLSTATE class 08.
     */
    @Override
    public DataSource driver(EngineSettings settings, ConnectionRole role) {
        return driver(settings, settings.postgresql().url(), role.name().toLowerCase(Locale.ROOT), options(settings, role));
    }

    /**
     * @param url the server's URL: the primary's or a replica's
     * @param pool which of the engine's pools the connections are for, the second part of their
     *        {@code application_name}
     * @param options the start-up options of every connection
     * @return pgjdbc's data source for one pool's physical connections, as the engine's user
     */
    static DataSource driver(EngineSettings settings, String url, String pool, String options) {
        PostgresqlSettings server = settings.postgresql();
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(url);
        if (server.user() != null) {
            driver.setUser(server.user());
        }
        if (server.password() != null) {
            driver.setPassword(server.password().reveal());
        }
        driver.setApplicationName(settings.name() + "/" + pool);
        int connect = (int) Math.min(MAX_CONNECT_SECONDS, Math.max(1, (settings.connectionTimeout() + 999) / 1000));
        driver.setConnectTimeout(connect);
        driver.setLoginTimeout(connect);
        driver.setTcpKeepAlive(true);
        String given = driver.getOptions();
        driver.setOptions((given == null || given.isBlank() ? "" : given + " ") + options);
        return driver;
    }

    /**
     * The settings every connection of the pool starts with, as PostgreSQL's start-up options
     * (free: they travel with the login, no statement runs for them).
     */
    static String options(EngineSettings settings, ConnectionRole role) {
        PostgresqlSettings server = settings.postgresql();
        StringBuilder out = new StringBuilder();
        out.append("-c lock_timeout=").append(server.lockTimeout());
        // Transactions begin with pgjdbc's plain BEGIN (PostgresqlTransactions), so these
        // defaults are what they are: read transactions one snapshot, read-only, on the readers
        // (and on every connection of a read-only engine); writes at the configured level.
        if (role == ConnectionRole.READER || settings.readOnly()) {
            out.append(" -c default_transaction_isolation=").append(escaped(PostgresqlTransactions.ONE_SNAPSHOT_ISOLATION));
            out.append(" -c default_transaction_read_only=on");
        } else {
            out.append(" -c default_transaction_isolation=").append(escaped(server.isolation().sql()));
        }
        return out.toString();
    }

    /** @return a value for a start-up option, its spaces escaped as PostgreSQL's option parser wants them */
    private static String escaped(String value) {
        return value.replace(" ", "\\ ");
    }

    /** @return null: readers refuse writes by their start-up options (see {@link #options}) */
    @Override
    public String readerSetup() {
        return null;
    }

    @Override
    public void closing(DataSource writer) {
        // the server checkpoints by itself
    }

    @Override
    public boolean switchNeedsSoleAccess(EngineSettings previous, EngineSettings next) {
        return false;
    }

    /** @return zeros: the server's write-ahead log is not the engine's to watch */
    @Override
    public WalFigures wal(CheckpointFigures last) {
        return new WalFigures(0, 0, Optional.ofNullable(last));
    }

    @Override
    public Path walFile() {
        return null;
    }

    @Override
    public String toString() {
        return url;
    }
}
