package dev.sqliteengine.impl.settings;

import static dev.sqliteengine.api.EngineProperties.*;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A SQLite engine's own settings: its database file and the pragmas of its connections.
 *
 * @param path the database path as configured, or {@link dev.sqliteengine.api.EngineProperties#MEMORY_PATH}
 * @param pragmas the pragmas every connection gets
 */
public record SqliteSettings(String path, PragmaSet pragmas) implements DatabaseSettings {

    /** The name of the type in configuration. */
    public static final String TYPE = "sqlite";

    public SqliteSettings {
        Objects.requireNonNull(path);
        Objects.requireNonNull(pragmas);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean needsNewPool(DatabaseSettings next) {
        return !equals(next);
    }

    /** @return 1: SQLite lets one writer at a time */
    @Override
    public int writeConnections() {
        return 1;
    }

    @Override
    public void putPlace(Map<String, Object> out) {
        out.put(PATH, path);
    }

    @Override
    public void putTuning(Map<String, Object> out) {
        out.putAll(pragmas.asProperties());
    }

    /**
     * The pragmas of SQLite's encryption extensions (SEE, SQLCipher). The SQLite inside
     * sqlite-jdbc has no encryption codec, so it would ignore them and store the data in plain
     * text: refused with a message saying so, rather than as just another unknown pragma.
     */
    private static final java.util.Set<String> ENCRYPTION_PRAGMAS = java.util.Set.of(
            "key", "rekey", "hexkey", "hexrekey", "textkey", "textrekey");

    /** Refuses a {@code pragma.*} property that names no pragma of the allow-list, or an encryption pragma. */
    static void checkPragmaName(PropertyReader in, String key, Object value) {
        if (ENCRYPTION_PRAGMAS.contains(key.substring(PRAGMA_PREFIX.length()).toLowerCase(java.util.Locale.ROOT))) {
            throw in.invalid(key, value, "database encryption is not supported: the SQLite in"
                    + " sqlite-jdbc has no encryption codec, so this pragma would do nothing and the data would be"
                    + " stored unencrypted; remove the property (and encrypt the disk instead, if needed)");
        }
        if (Pragma.bySqlName(key.substring(PRAGMA_PREFIX.length())) == null) {
            throw in.invalid(key, value, "a pragma from the allow-list: " + pragmaNames());
        }
    }

    static PragmaSet pragmas(PropertyReader in) {
        Map<Pragma, String> pragmas = new EnumMap<>(Pragma.class);
        for (Pragma p : Pragma.values()) {
            Object value = in.raw(p.property());
            if (value == null) {
                continue;
            }
            if (value instanceof Boolean b && p == Pragma.FOREIGN_KEYS) {
                value = b ? "ON" : "OFF";
            }
            String canonical = value instanceof String || value instanceof Integer || value instanceof Long
                    ? p.canonical(value) : null;
            if (canonical == null) {
                throw in.invalid(p.property(), value, p.allowed());
            }
            pragmas.put(p, canonical);
        }
        return PragmaSet.of(pragmas);
    }

    private static String pragmaNames() {
        StringBuilder out = new StringBuilder();
        for (Pragma p : Pragma.values()) {
            out.append(out.length() == 0 ? "" : ", ").append(p.sqlName());
        }
        return out.toString();
    }

    /** @return the path, checked */
    static String path(PropertyReader in) {
        String path = in.string(PATH, null);
        if (path == null) {
            throw in.invalid(PATH, null, "a database file path, or " + MEMORY_PATH);
        }
        if (!MEMORY_PATH.equals(path)) {
            if (path.chars().anyMatch(Character::isISOControl) || path.indexOf('?') >= 0 || path.indexOf('#') >= 0
                    || path.startsWith(":") || path.regionMatches(true, 0, "file:", 0, 5)) {
                throw in.invalid(PATH, path, "a plain file path without control characters, '?', '#' or a 'file:' prefix, or " + MEMORY_PATH);
            }
            if (path.length() > 4096) {
                throw in.invalid(PATH, path, "a path of at most 4096 characters");
            }
        }
        return path;
    }
}
