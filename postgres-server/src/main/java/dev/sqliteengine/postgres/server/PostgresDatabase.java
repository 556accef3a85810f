package dev.sqliteengine.postgres.server;

import javax.sql.DataSource;

/**
 * A database on a {@link PostgresPrimary} and the login role of the same name that owns it, made
 * by {@link PostgresPrimary#createDatabase(String)}: what a test needs to configure an engine
 * without the server's superuser. {@link #close()} drops both.
 */
public final class PostgresDatabase implements AutoCloseable {

    private final PostgresPrimary primary;
    private final String name;
    private volatile String password;

    PostgresDatabase(PostgresPrimary primary, String name, String password) {
        this.primary = primary;
        this.name = name;
        this.password = password;
    }

    /** @return the database's name, which is also its owner's */
    public String name() {
        return name;
    }

    /** @return the owner role's name (the database's name) */
    public String user() {
        return name;
    }

    /** @return the owner role's current password */
    public String password() {
        return password;
    }

    /** @return {@value PostgresServer#HOST} */
    public String host() {
        return primary.host();
    }

    /** @return the server's port */
    public int port() {
        return primary.port();
    }

    /** @return {@code jdbc:postgresql://127.0.0.1:<port>/<name>} */
    public String jdbcUrl() {
        return primary.jdbcUrl(name);
    }

    /** @return a pgjdbc DataSource (no pool) that connects as the owner with its current password */
    public DataSource dataSource() {
        return primary.dataSource(name, name, password);
    }

    /**
     * Changes the owner's password on the server, as an administrator would: sessions logged in
     * stay, new logins need the new password.
     */
    public void changePassword(String newPassword) {
        primary.changePassword(name, newPassword);
        password = newPassword;
    }

    /**
     * Drops the database, ending the sessions still connected to it ({@code WITH (FORCE)}), and
     * its owner. Does nothing when the server no longer runs.
     */
    @Override
    public void close() {
        if (!primary.isRunning()) {
            return;
        }
        primary.execute("postgres", "drop the database " + name,
                "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)",
                "DROP ROLE IF EXISTS " + name);
    }

    @Override
    public String toString() {
        return "database " + name + " on " + primary;
    }
}
