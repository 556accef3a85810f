package dev.sqliteengine.postgres.server;

/**
 * The settings of the test servers, each a system property with an environment variable as its
 * fallback (the property wins). In a bnd-testing run pass them with {@code -runvm: -D...}.
 */
public final class ServerProperties {

    /**
     * The folder with PostgreSQL's server programs ({@code initdb}, {@code postgres},
     * {@code pg_basebackup}), a String. Default: what {@code pg_config --bindir} names, else the
     * newest {@code /usr/lib/postgresql/<version>/bin} (Debian's and Ubuntu's layout).
     */
    public static final String BIN = "sqliteengine.postgres.bin";

    /** Environment variable for {@link #BIN}. */
    public static final String BIN_ENV = "SQLITEENGINE_POSTGRES_BIN";

    /**
     * The operating-system account that runs the programs when the JVM runs as root, a String
     * (PostgreSQL refuses to run as root). Default {@code postgres}, the account Debian's
     * {@code postgresql} package creates. Ignored when the JVM does not run as root: the programs
     * then run as the JVM's own user.
     */
    public static final String ACCOUNT = "sqliteengine.postgres.account";

    /** Environment variable for {@link #ACCOUNT}. */
    public static final String ACCOUNT_ENV = "SQLITEENGINE_POSTGRES_ACCOUNT";

    /**
     * The folder under which the servers' folders are made, a String. Default
     * {@code java.io.tmpdir}. When the JVM runs as root, the account of {@link #ACCOUNT} must be
     * able to reach it (every folder above it searchable by that account). Keep it short: a Unix
     * socket's path may not exceed 107 bytes.
     */
    public static final String TMPDIR = "sqliteengine.postgres.tmpdir";

    /** Environment variable for {@link #TMPDIR}. */
    public static final String TMPDIR_ENV = "SQLITEENGINE_POSTGRES_TMPDIR";

    private ServerProperties() {}

    /** @return the property's value, else the environment variable's, else null; blank counts as unset */
    static String read(String property, String environmentVariable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
