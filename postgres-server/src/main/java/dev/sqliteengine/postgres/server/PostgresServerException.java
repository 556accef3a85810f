package dev.sqliteengine.postgres.server;

/**
 * A PostgreSQL test server could not be found, started, stopped or used. The message names the
 * server (its role and port) and says why, with the end of the server's log where there is one.
 */
public final class PostgresServerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed and why */
    public PostgresServerException(String message) {
        super(message);
    }

    /**
     * @param message what failed and why
     * @param cause the exception underneath
     */
    public PostgresServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
