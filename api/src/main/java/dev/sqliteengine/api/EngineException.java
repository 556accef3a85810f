package dev.sqliteengine.api;

/**
 * The base of every failure the engine reports. Unchecked, so units of work stay lambdas.
 * <p>
 * The message starts with the engine's name in brackets ({@code [main] …}) and states what an
 * operator needs to act on it. When the failure came from SQLite, {@link #resultCode()} keeps
 * SQLite's (extended) result code, for example 5 ({@code SQLITE_BUSY}) or 2067
 * ({@code SQLITE_CONSTRAINT_UNIQUE}), and the original {@code SQLException} is the cause.
 */
public class EngineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The value of {@link #resultCode()} when the failure did not come from SQLite. */
    public static final int NO_RESULT_CODE = -1;

    private final String engineName;
    private final int resultCode;

    /**
     * @param engineName the engine's name, or null when no engine is concerned yet
     * @param message what went wrong, without the engine prefix (it is added here)
     * @param resultCode SQLite's result code, or {@link #NO_RESULT_CODE}
     * @param cause the underlying failure, or null
     */
    public EngineException(String engineName, String message, int resultCode, Throwable cause) {
        super(prefix(engineName) + message, cause);
        this.engineName = engineName;
        this.resultCode = resultCode;
    }

    /**
     * @param engineName the engine's name, or null
     * @param message what went wrong, without the engine prefix
     */
    public EngineException(String engineName, String message) {
        this(engineName, message, NO_RESULT_CODE, null);
    }

    /** @return the name of the engine concerned, or null when there was none yet */
    public String engineName() {
        return engineName;
    }

    /**
     * @return SQLite's extended result code, or {@link #NO_RESULT_CODE}; the primary code is
     *         {@code resultCode() & 0xff}
     */
    public int resultCode() {
        return resultCode;
    }

    private static String prefix(String engineName) {
        return engineName == null ? "" : "[" + engineName + "] ";
    }
}
