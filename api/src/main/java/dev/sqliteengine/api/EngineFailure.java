package dev.sqliteengine.api;

import java.util.Objects;

/**
 * Why the engine of a valid configuration could not be opened, as {@link EngineFailures} reports
 * it. Immutable.
 *
 * @param pid the configuration's PID, for example {@code dev.sqliteengine.engine~orders}
 * @param name the engine's name
 * @param message the failure's one-line message, as logged: it starts with {@code [name]} and
 *        never holds the value of a secret property
 * @param resultCode SQLite's extended result code, for example 26 ({@code SQLITE_NOTADB}) for a
 *        file that is not a database, or {@link EngineException#NO_RESULT_CODE} when the failure
 *        did not come from SQLite
 * @param timestamp when the engine failed to open, in milliseconds since the epoch
 */
public record EngineFailure(String pid, String name, String message, int resultCode, long timestamp) {

    /** Checks the fields. */
    public EngineFailure {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(message, "message");
    }
}
