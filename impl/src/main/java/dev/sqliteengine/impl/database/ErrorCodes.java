package dev.sqliteengine.impl.database;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import java.sql.SQLException;

/**
 * What a database type's error codes mean. Which failures are a {@link ConnectionException} (the
 * database could not be reached or used, often passing) and which are an {@link EngineException}
 * (the statement or the data is wrong) is decided here and only here, and so is which failures of
 * a whole write unit may succeed when it runs again.
 */
public interface ErrorCodes {

    /**
     * @return the database's own code of the failure (SQLite's extended result code), found in
     *         the failure or its causes, or {@link EngineException#NO_RESULT_CODE}
     */
    int code(Throwable failure);

    /**
     * @return the code under which the figures count a failure that left the engine (SQLite: its
     *         {@link EngineException#resultCode()}; PostgreSQL: its SQLSTATE)
     */
    int counted(EngineException failure);

    /**
     * @return whether a failure to open the database says it could not be reached, or did not let
     *         the engine in, for a reason that may pass without anyone changing the configuration
     *         (a server that is down, starting or full; a password about to be set on the server),
     *         so that opening is worth trying again by itself; never for SQLite's files
     */
    boolean mayPassByItself(EngineException failure);

    /** @return the code's name for the figures (e.g. {@code SQLITE_CONSTRAINT_UNIQUE}); {@code NONE} for no code */
    String name(int code);

    /** @return whether the code says that another connection held a lock too long */
    boolean isBusy(int code);

    /** @return whether a whole write unit that failed this way may succeed when run again */
    boolean isTransient(Throwable failure);

    /** @return whether the code says a statement tried to write where only reading is allowed */
    boolean isReadOnlyViolation(int code);

    /**
     * @return whether a failed {@code ROLLBACK} failed only because no transaction was open any
     *         more (the database ended it by itself after an error): harmless, nothing to report
     */
    boolean isNoTransaction(SQLException e);

    /** @return the code of "the database is read-only" (a write unit on a read-only engine) */
    int readOnlyCode();

    /** @return the code of "the database cannot be reached at its place" (its file was deleted) */
    int unreachableCode();

    /**
     * @param engine the engine's name
     * @param doing what was being done, for example {@code "write unit"}
     * @param e the failure
     * @param pool the pool figures at the time, for timeouts (may be empty)
     * @return the exception to throw, with the engine's name and the code
     */
    EngineException map(String engine, String doing, SQLException e, String pool);
}
