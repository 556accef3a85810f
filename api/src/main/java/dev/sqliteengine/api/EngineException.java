package dev.sqliteengine.api;

/**
 * The base of every failure the engine reports. Unchecked, so units of work stay lambdas.
 * <p>
 * The message starts with the engine's name in brackets ({@code [main] …}) and states what an
 * operator needs to act on it. When the failure came from SQLite, {@link #resultCode()} keeps
 * SQLite's (extended) result code, for example 5 ({@code SQLITE_BUSY}) or 2067
 * ({@code SQLITE_CONSTRAINT_UNIQUE}), and the original {@code SQLException} is the cause. When it
 * came from a PostgreSQL server ({@code type=postgresql}), {@link #sqlState()} is the server's
 * SQLSTATE, for example {@code 23505} (unique violation) or {@code 40001} (serialization
 * failure), the message names it, and {@link #resultCode()} is {@link #NO_RESULT_CODE}.
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

    /**
     * The SQLSTATE of the failure: that of the first {@link java.sql.SQLException} among this
     * exception's causes that carries one. PostgreSQL reports one for every failure (class
     * {@code 08} for connection failures, {@code 23} for constraint violations, {@code 40001} and
     * {@code 40P01} for serialization failures and deadlocks, which a write unit runs again; see
     * the PostgreSQL documentation's appendix "PostgreSQL Error Codes"). SQLite reports result
     * codes instead ({@link #resultCode()}), so for its failures this is mostly empty.
     *
     * @return the five-character SQLSTATE, or empty when no cause carries one
     * @since 1.3
     */
    public java.util.Optional<String> sqlState() {
        int depth = 0;
        for (Throwable t = getCause(); t != null && depth < 100; t = t.getCause(), depth++) {
            if (t instanceof java.sql.SQLException e && e.getSQLState() != null && e.getSQLState().length() == 5) {
                return java.util.Optional.of(e.getSQLState());
            }
        }
        return java.util.Optional.empty();
    }

    private static String prefix(String engineName) {
        return engineName == null ? "" : "[" + engineName + "] ";
    }
}
