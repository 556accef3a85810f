package dev.sqliteengine.api;

import java.sql.Connection;
import java.sql.SQLException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A unit of work on a connection that returns nothing; see {@link ConnectionManager#execute(SqlAction)}.
 */
@ConsumerType
@FunctionalInterface
public interface SqlAction {

    /**
     * Does the work.
     *
     * @param connection a connection that belongs to the unit for as long as this call lasts
     * @throws SQLException when a statement fails; the unit is rolled back
     */
    void run(Connection connection) throws SQLException;
}
