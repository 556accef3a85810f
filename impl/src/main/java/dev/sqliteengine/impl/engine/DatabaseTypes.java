package dev.sqliteengine.impl.engine;

import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.postgresql.Pgjdbc;
import dev.sqliteengine.impl.postgresql.PostgresqlType;
import dev.sqliteengine.impl.settings.PostgresqlSettings;
import dev.sqliteengine.impl.sqlite.SqliteType;

/**
 * The database types engines run on, one stateless instance of each, chosen by the settings'
 * {@code type}. PostgreSQL's classes link pgjdbc, which is optional ({@link Pgjdbc}): so
 * {@link PostgresqlType} is created the first time an engine of {@code type=postgresql} asks for
 * it, once pgjdbc is found; without pgjdbc that engine is refused, naming what to install, and
 * SQLite engines never notice.
 */
final class DatabaseTypes {

    private final DatabaseType sqlite = new SqliteType();
    /** Created on first use; under this. */
    private DatabaseType postgresql;

    /**
     * @return the database type that runs an engine of this type
     * @throws dev.sqliteengine.api.ConfigurationException naming {@code type} when it is
     *         {@code postgresql} and pgjdbc cannot be loaded
     */
    DatabaseType of(String engine, String type) {
        return PostgresqlSettings.TYPE.equals(type) ? postgresql(engine) : sqlite;
    }

    private synchronized DatabaseType postgresql(String engine) {
        if (postgresql == null) {
            Pgjdbc.require(engine);
            postgresql = new PostgresqlType();
        }
        return postgresql;
    }
}
