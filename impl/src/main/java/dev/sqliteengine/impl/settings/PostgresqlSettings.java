package dev.sqliteengine.impl.settings;

import static dev.sqliteengine.api.EngineProperties.*;

import dev.sqliteengine.api.EngineConfiguration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PostgreSQL engine's own settings: which server and database, as whom, and how its
 * transactions behave. Checked here as far as can be known without pgjdbc (the URL's form);
 * pgjdbc's own reading of the URL is the {@code postgresql} package's.
 *
 * @param url the JDBC URL, {@code jdbc:postgresql://…}, as configured or built from
 *        {@code host}/{@code port}/{@code database}; never holds a password
 * @param user the user, or null for pgjdbc's default (the URL's, or the operating system user's)
 * @param password the password, or null for none; masked in {@code toString}
 * @param isolation the isolation level of write transactions
 * @param lockTimeout ms a statement waits for a lock (PostgreSQL's {@code lock_timeout}; 0: no limit)
 * @param writeConnections the writer pool's size, and how many writers the queue lets in at once
 * @param replicas the streaming replicas that serve reads, if any
 */
public record PostgresqlSettings(String url, String user, SecretValue password, Isolation isolation, long lockTimeout,
        int writeConnections, ReplicaSettings replicas) implements DatabaseSettings {

    /** The name of the type in configuration. */
    public static final String TYPE = TYPE_POSTGRESQL;

    private static final String PREFIX = "jdbc:postgresql:";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]{2,45}]?");

    public PostgresqlSettings {
        Objects.requireNonNull(url);
        Objects.requireNonNull(isolation);
        Objects.requireNonNull(replicas);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Everything but the number of writers and how reads follow writes is a property of the
     * connections (the replicas' URLs included).
     */
    @Override
    public boolean needsNewPool(DatabaseSettings next) {
        return !(next instanceof PostgresqlSettings p) || !url.equals(p.url) || !Objects.equals(user, p.user)
                || !Objects.equals(password, p.password) || isolation != p.isolation || lockTimeout != p.lockTimeout
                || !replicas.urls().equals(p.replicas.urls());
    }

    @Override
    public void putPlace(Map<String, Object> out) {
        out.put(URL, url);
        out.put(USER, user == null ? "" : user);
        replicas.putPlace(out);
    }

    @Override
    public void putTuning(Map<String, Object> out) {
        out.put(ISOLATION, isolation.name());
        out.put(LOCK_TIMEOUT, lockTimeout);
        out.put(WRITE_CONNECTIONS, writeConnections);
        replicas.putTuning(out);
    }

    /** Reads a PostgreSQL engine's own properties; called where SQLite's path is read, so errors come in the same order. */
    static PostgresqlSettings parse(PropertyReader in) {
        String url = url(in);
        String user = in.string(USER, null);
        if (user != null && (user.length() > 63 || user.chars().anyMatch(Character::isISOControl))) {
            throw in.invalid(USER, user, "a PostgreSQL role name: at most 63 characters, no control characters");
        }
        String password = in.string(PASSWORD, null);
        String isolationValue = in.string(ISOLATION, DEFAULT_ISOLATION);
        Isolation isolation = Isolation.byConfigName(isolationValue);
        if (isolation == null) {
            throw in.invalid(ISOLATION, isolationValue, "one of READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE");
        }
        long lockTimeout = in.number(LOCK_TIMEOUT, DEFAULT_LOCK_TIMEOUT, 0, 3_600_000L,
                "milliseconds from 0 (wait as long as it takes) to 3600000");
        int writers = (int) in.number(WRITE_CONNECTIONS, DEFAULT_WRITE_CONNECTIONS, 1, 1000, "an integer from 1 to 1000");
        return new PostgresqlSettings(url, user, password == null ? null : new SecretValue(password), isolation,
                lockTimeout, writers, ReplicaSettings.parse(in, url));
    }

    /** @return the URL as configured, or built from host, port and database */
    private static String url(PropertyReader in) {
        String url = in.string(URL, null);
        String host = in.string(HOST, null);
        if (url != null && host != null) {
            throw in.invalid(HOST, host, "nothing when " + URL + " is set: the server is given either by " + URL
                    + " or by " + HOST + ", " + PORT + " and " + DATABASE + ", not both");
        }
        if (url == null && host == null) {
            if (in.raw(PORT) != null || in.raw(DATABASE) != null) {
                throw in.invalid(HOST, null, "the server's host name or address, with " + PORT + " and " + DATABASE);
            }
            throw in.invalid(URL, null, "the server's JDBC URL, jdbc:postgresql://host[:port]/database"
                    + " (or the properties " + HOST + ", " + PORT + " and " + DATABASE + ")");
        }
        if (url != null) {
            if (in.raw(PORT) != null || in.raw(DATABASE) != null) {
                throw in.invalid(in.raw(PORT) != null ? PORT : DATABASE, in.raw(in.raw(PORT) != null ? PORT : DATABASE),
                        "nothing when " + URL + " is set: the URL names the port and the database");
            }
            return checkedUrl(in, URL, url, "a PostgreSQL JDBC URL: jdbc:postgresql://host[:port]/database");
        }
        if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw in.invalid(HOST, host, "a host name (letters, digits, '.', '-') or an IP address");
        }
        long port = in.number(PORT, DEFAULT_PORT, 1, 65_535, "a port from 1 to 65535");
        String database = in.string(DATABASE, null);
        if (database != null && (database.length() > 63 || database.chars().anyMatch(Character::isISOControl))) {
            throw in.invalid(DATABASE, database, "a database name: at most 63 characters, no control characters");
        }
        String address = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return PREFIX + "//" + address + ":" + port + "/"
                + (database == null ? "" : URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /**
     * @param key the property that gives the URL
     * @param allowed what the property allows, for the message of a URL that is not PostgreSQL's
     * @return the URL, checked: PostgreSQL's, without spaces, without a password (the message
     *         shows it masked)
     */
    static String checkedUrl(PropertyReader in, String key, String url, String allowed) {
        String shown = masked(url);
        if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw in.invalidShown(key, shown, allowed);
        }
        if (url.chars().anyMatch(c -> Character.isISOControl(c) || c == ' ')) {
            throw in.invalidShown(key, shown, "a URL without spaces or control characters");
        }
        if (!shown.equals(url)) {
            throw in.invalidShown(key, shown, "a URL without a password: give it in the property " + PASSWORD
                    + ", which is never shown");
        }
        return url;
    }

    /**
     * @return the URL with the value of every parameter that may hold a secret (a name with
     *         {@code password} in it, pgjdbc's {@code password} and {@code sslpassword}) masked
     */
    static String masked(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.substring(0, query + 1));
        String[] parameters = url.substring(query + 1).split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            String p = parameters[i];
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            boolean secret = name.toLowerCase(Locale.ROOT).contains("password");
            out.append(i == 0 ? "" : "&").append(secret && eq >= 0 ? name + "=" + EngineConfiguration.MASK : p);
        }
        return out.toString();
    }
}
