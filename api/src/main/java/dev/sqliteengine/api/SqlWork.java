package dev.sqliteengine.api;

import java.sql.Connection;
import java.sql.SQLException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A unit of work on a connection that returns a result.
 *
 * @param <T> the result type
 */
@ConsumerType
@FunctionalInterface
public interface SqlWork<T> {

    /**
     * Does the work.
     *
     * @param connection a connection that belongs to the unit for as long as this call lasts
     * @return the result
     * @throws SQLException when a statement fails; the {@link ConnectionManager} wraps it in an
     *         {@link EngineException} and rolls back a write unit
     */
    T run(Connection connection) throws SQLException;
}
