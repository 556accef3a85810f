package dev.sqliteengine.api;

/**
 * The database could not be reached or used: no connection became free in time, SQLite stayed
 * busy or locked, the file could not be opened, it is read-only, the disk is full, or a resource
 * limit was hit; on PostgreSQL, the server could not be reached or refused the login, shut down,
 * ran out of a resource, or a lock was not granted within {@code lockTimeout}. Many of these
 * pass; {@link #resultCode()} (SQLite) or {@link #sqlState()} (PostgreSQL) tells which one it was.
 */
public class ConnectionException extends EngineException {

    private static final long serialVersionUID = 1L;

    /**
     * @param engineName the engine's name
     * @param message what went wrong, without the engine prefix
     * @param resultCode SQLite's result code, or {@link #NO_RESULT_CODE}
     * @param cause the underlying failure, or null
     */
    public ConnectionException(String engineName, String message, int resultCode, Throwable cause) {
        super(engineName, message, resultCode, cause);
    }

    /**
     * @param engineName the engine's name
     * @param message what went wrong, without the engine prefix
     */
    public ConnectionException(String engineName, String message) {
        super(engineName, message);
    }
}
