package dev.sqliteengine.impl.settings;

import java.util.Map;

/**
 * The part of an engine's settings that belongs to its database type ({@code type}): where the
 * database is and how its connections are set up. One implementation per type, so each type's
 * settings hold exactly its own properties; everything else in {@link EngineSettings} applies to
 * every type.
 */
public sealed interface DatabaseSettings permits SqliteSettings, PostgresqlSettings {

    /** @return the type's name, as {@code type} spells it */
    String type();

    /**
     * @param next the settings that would replace these, of the same type
     * @return whether the change needs new connections (a new pool generation)
     */
    boolean needsNewPool(DatabaseSettings next);

    /** @return how many write units may run at once: 1 on SQLite */
    int writeConnections();

    /**
     * Puts the type's properties that say where the database is, as status shows them (never a
     * secret), in a stable order.
     */
    void putPlace(Map<String, Object> out);

    /** Puts the rest of the type's properties, as status shows them (never a secret), in a stable order. */
    void putTuning(Map<String, Object> out);
}
