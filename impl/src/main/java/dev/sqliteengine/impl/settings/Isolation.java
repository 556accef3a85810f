package dev.sqliteengine.impl.settings;

import java.util.Locale;

/**
 * The isolation level of a PostgreSQL engine's write transactions ({@code isolation}).
 */
public enum Isolation {
    READ_COMMITTED("read committed"),
    REPEATABLE_READ("repeatable read"),
    SERIALIZABLE("serializable");

    private final String sql;

    Isolation(String sql) {
        this.sql = sql;
    }

    /** @return the level as PostgreSQL spells it, for example {@code repeatable read} */
    public String sql() {
        return sql;
    }

    /** @return the level named {@code value} (any case; blanks or dashes for underscores), or null */
    static Isolation byConfigName(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (Isolation i : values()) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }
}
