package dev.sqliteengine.impl.settings;

import static dev.sqliteengine.api.EngineProperties.*;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The properties that belong to one database type only, and which of them a configuration of
 * the other type sets. Such properties are ignored, not refused: a configuration may change its
 * {@code type} and keep everything else (the path of the SQLite file it came from, say), and a
 * configuration form fills in every attribute's default whatever the type. The engine logs one
 * WARN naming them, so that nobody believes they take effect.
 */
final class OtherTypeProperties {

    /**
     * SQLite's own properties, besides {@code pragma.*}; {@code write.groupCommit} among them, since
     * only a database whose writers take turns on one connection can group their commits.
     */
    private static final Set<String> SQLITE = sqlite();

    /** PostgreSQL's own properties. */
    private static final Set<String> POSTGRESQL = Set.of(URL, HOST, PORT, DATABASE, USER, PASSWORD, ISOLATION,
            LOCK_TIMEOUT, WRITE_CONNECTIONS, REPLICAS, REPLICAS_READ_YOUR_WRITES, REPLICAS_READ_YOUR_WRITES_TIMEOUT);

    private OtherTypeProperties() {}

    private static Set<String> sqlite() {
        Set<String> all = new java.util.HashSet<>(MaintenanceSettings.KEYS);
        all.addAll(List.of(PATH, HEALTH_QUICK_CHECK_INTERVAL, HEALTH_WAL_WARN_SIZE, WRITE_GROUP_COMMIT));
        return Set.copyOf(all);
    }

    /** @return every property of the other types: those a configuration of {@code type} may name but not use */
    static Set<String> notOf(String type) {
        return SqliteSettings.TYPE.equals(type) ? POSTGRESQL : SQLITE;
    }

    /**
     * @param type the configuration's type
     * @return the properties of another type that the configuration sets (to something not
     *         blank), sorted
     */
    static List<String> setIn(PropertyReader in, String type) {
        Set<String> others = notOf(type);
        boolean pragmas = !SqliteSettings.TYPE.equals(type);
        TreeSet<String> found = new TreeSet<>();
        for (String key : in.keys()) {
            if ((others.contains(key) || pragmas && key.startsWith(PRAGMA_PREFIX)) && in.isSet(key)) {
                found.add(key);
            }
        }
        return List.copyOf(found);
    }
}
