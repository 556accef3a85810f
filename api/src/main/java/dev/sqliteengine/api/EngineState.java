package dev.sqliteengine.api;

/**
 * The life cycle of an engine.
 */
public enum EngineState {
    /** The engine serves work. */
    RUNNING,
    /** {@link Engine#close()} was called: new work is refused while work in progress drains. */
    CLOSING,
    /** The engine is closed and its file released. */
    CLOSED,
    /**
     * The engine has no pools to serve with: a configuration change that must close the old pools
     * before it opens new ones (leaving WAL mode) could open neither the new settings nor the
     * previous ones. Every unit of work and every connection request fails at once with a
     * {@link ConnectionException} that says why, and so does {@link EngineStatus#lastRejection()}.
     * The engine keeps its name and its file. The next configuration update opens new pools, and
     * the engine runs again if that works; {@link Engine#close()} releases the name and the file.
     * Added in package version 1.1.
     */
    FAILED
}
