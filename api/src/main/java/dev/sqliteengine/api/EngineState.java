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
    CLOSED
}
