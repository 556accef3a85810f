package dev.sqliteengine.impl.settings;

import dev.sqliteengine.api.EngineProperties;
import java.util.List;
import java.util.Locale;

/**
 * The allow-list of pragmas an engine may be configured with, each with the values it accepts.
 * <p>
 * Security: a configuration value reaches SQL only as the canonical value this enum produced
 * from it: a keyword from a fixed list or a number parsed into a {@code long}. Nothing a user
 * typed is ever pasted into a statement.
 */
public enum Pragma {
    JOURNAL_MODE("journal_mode", "WAL", List.of("DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF")),
    SYNCHRONOUS("synchronous", "NORMAL", List.of("OFF", "NORMAL", "FULL", "EXTRA")),
    CACHE_SIZE("cache_size", "-64000", -2_000_000L, 2_000_000L),
    FOREIGN_KEYS("foreign_keys", "ON", List.of("ON", "OFF")),
    BUSY_TIMEOUT("busy_timeout", "5000", 0L, 3_600_000L),
    MMAP_SIZE("mmap_size", "0", 0L, 1L << 40),
    TEMP_STORE("temp_store", "MEMORY", List.of("DEFAULT", "FILE", "MEMORY")),
    JOURNAL_SIZE_LIMIT("journal_size_limit", "-1", -1L, 1L << 40),
    WAL_AUTOCHECKPOINT("wal_autocheckpoint", "1000", 0L, 1_000_000L),
    SECURE_DELETE("secure_delete", "OFF", List.of("ON", "OFF", "FAST")),
    /** A property of the file: see {@link #ofFile()}. */
    AUTO_VACUUM("auto_vacuum", "NONE", List.of("NONE", "FULL", "INCREMENTAL")),
    /** A property of the file: see {@link #ofFile()}; a power of two. */
    PAGE_SIZE("page_size", "4096", 512L, 65_536L);

    private final String sqlName;
    private final String defaultValue;
    private final List<String> keywords;
    private final long min;
    private final long max;

    Pragma(String sqlName, String defaultValue, List<String> keywords) {
        this.sqlName = sqlName;
        this.defaultValue = defaultValue;
        this.keywords = keywords;
        this.min = 0;
        this.max = 0;
    }

    Pragma(String sqlName, String defaultValue, long min, long max) {
        this.sqlName = sqlName;
        this.defaultValue = defaultValue;
        this.keywords = List.of();
        this.min = min;
        this.max = max;
    }

    /** @return the pragma's SQL name, for example {@code journal_mode} */
    public String sqlName() {
        return sqlName;
    }

    /** @return the configuration property, for example {@code pragma.journal_mode} */
    public String property() {
        return EngineProperties.PRAGMA_PREFIX + sqlName;
    }

    /** @return the canonical default value */
    public String defaultValue() {
        return defaultValue;
    }

    /** @return whether the value is a number (otherwise a keyword) */
    public boolean numeric() {
        return keywords.isEmpty();
    }

    /**
     * @return whether this is a property of the database file rather than of a connection: it is
     *         written into a new file before any pool opens (see the SQLite package's {@code NewFile}) and otherwise
     *         changes only through {@code VACUUM}. Never applied to pool connections: on an
     *         existing auto-vacuum file, {@code PRAGMA auto_vacuum} writes the header, which a
     *         connection opening outside the writer gate must not do.
     */
    public boolean ofFile() {
        return this == AUTO_VACUUM || this == PAGE_SIZE;
    }

    /** @return what is allowed, in words, for error messages and documentation */
    public String allowed() {
        if (this == PAGE_SIZE) {
            return "a power of two from " + min + " to " + max + " (bytes)";
        }
        return numeric()
                ? "an integer from " + min + " to " + max
                : "one of " + String.join(", ", keywords) + (this == FOREIGN_KEYS ? " (or true, false, 1, 0)" : "");
    }

    /**
     * Turns a configured value into its canonical form.
     *
     * @param value the configured value: a keyword in any case, a number, or for
     *        {@link #FOREIGN_KEYS} a boolean
     * @return the canonical value, or null when the value is not allowed
     */
    public String canonical(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        if (numeric()) {
            try {
                long n = Long.parseLong(text);
                boolean fits = n >= min && n <= max && (this != PAGE_SIZE || Long.bitCount(n) == 1);
                return fits ? Long.toString(n) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (this == FOREIGN_KEYS) {
            upper = switch (upper) {
                case "TRUE", "1", "YES" -> "ON";
                case "FALSE", "0", "NO" -> "OFF";
                default -> upper;
            };
        }
        return keywords.contains(upper) ? upper : null;
    }

    /**
     * Finds a pragma by its SQL name.
     *
     * @param sqlName for example {@code cache_size}
     * @return the pragma, or null when it is not on the allow-list
     */
    public static Pragma bySqlName(String sqlName) {
        for (Pragma p : values()) {
            if (p.sqlName.equals(sqlName)) {
                return p;
            }
        }
        return null;
    }
}
