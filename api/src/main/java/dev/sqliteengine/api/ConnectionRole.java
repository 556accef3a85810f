package dev.sqliteengine.api;

/**
 * Which of an engine's pools a physical connection belongs to, as a {@link ConnectionSetup} is
 * told. The names match {@link PoolStatus#pool()}: {@code writer}, {@code readers},
 * {@code dataSource}.
 */
public enum ConnectionRole {
    /** The engine's single writer connection, for write units. */
    WRITER,
    /**
     * A connection of the reader pool, for read units. The engine makes it query-only
     * ({@code PRAGMA query_only}) right after the setup hooks ran.
     */
    READER,
    /** A connection of the pool behind {@link Engine#dataSource()} and {@link Engine#connect()}. */
    DATA_SOURCE
}
