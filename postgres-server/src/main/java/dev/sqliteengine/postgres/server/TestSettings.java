package dev.sqliteengine.postgres.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings a test server runs with, appended to the primary's {@code postgresql.conf} (a
 * replica gets them with its copy of the data folder). Everything not listed keeps PostgreSQL's
 * default, durability included ({@code fsync}, {@code synchronous_commit}, {@code full_page_writes}
 * stay on): the crash tests rely on a commit being durable, and the benchmarks compare against
 * the cost a real server has.
 * <ul>
 * <li>{@code listen_addresses = '127.0.0.1'}: nothing outside the machine reaches a server whose
 * superuser password is in test logs.</li>
 * <li>{@code max_connections = 300}: an engine holds a writer pool and a reader pool, 8 threads
 * each; a test JVM has several engines on the shared primary at once, raw HikariCP pools in the
 * benchmarks next to them, and PostgreSQL's default of 100 runs out. A hot standby must have at
 * least its primary's value; it gets the same.</li>
 * <li>{@code wal_level = replica}, {@code max_wal_senders = 10}, {@code max_replication_slots = 10},
 * {@code hot_standby = on}: streaming replicas that serve reads. They are PostgreSQL 15's defaults,
 * written down because the replica tests depend on them.</li>
 * </ul>
 * initdb runs with {@code --locale=C --encoding=UTF8}: messages in English whatever the machine's
 * language, and the same sort order everywhere. (No server time zone: pgjdbc sets each session's
 * {@code TimeZone} to the JVM's.)
 */
final class TestSettings {

    static final int MAX_CONNECTIONS = 300;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private static final Map<String, String> SETTINGS = settings();

    private TestSettings() {}

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listen_addresses", "127.0.0.1");
        settings.put("max_connections", Integer.toString(MAX_CONNECTIONS));
        settings.put("wal_level", "replica");
        settings.put("max_wal_senders", "10");
        settings.put("max_replication_slots", "10");
        settings.put("hot_standby", "on");
        return Collections.unmodifiableMap(settings);
    }

    /**
     * @param extra settings a test asked for; they come last, so they win over the ones above
     * @return the lines to append to postgresql.conf
     */
    static List<String> lines(Map<String, String> extra) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("# sqlite-engine's test server (postgres-server module)");
        SETTINGS.forEach((name, value) -> lines.add(name + " = " + quoted(value)));
        extra.forEach((name, value) -> lines.add(name + " = " + quoted(value)));
        return lines;
    }

    /** @throws IllegalArgumentException naming the setting, when the name or the value cannot be written */
    static void check(String name, String value) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Setting name '" + name + "' is not a PostgreSQL setting name:"
                    + " letters, digits, '_' and '.'");
        }
        if (value == null || value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException("Setting " + name + ": value '" + value + "' must be one line of text");
        }
    }

    private static String quoted(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
