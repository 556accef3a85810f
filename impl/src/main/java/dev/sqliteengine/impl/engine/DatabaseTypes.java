package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.postgresql.PostgresqlType;
import dev.sqliteengine.impl.settings.PostgresqlSettings;
import dev.sqliteengine.impl.sqlite.SqliteType;

/**
 * The database types engines run on, one stateless instance of each, chosen by the settings'
 * {@code type}.
 * <p>
 * PostgreSQL's classes link pgjdbc, which is optional: the bundle imports it with
 * {@code resolution:=optional}, the module {@code requires static} it, and the Maven dependency
 * is optional, so that a SQLite-only runtime (a gateway, a small Felix, a plain application) need
 * not carry it. So {@link PostgresqlType} is created the first time an engine of
 * {@code type=postgresql} asks for it, after checking that pgjdbc can be loaded; without pgjdbc
 * that engine is refused with a message that names what to install, and SQLite engines never
 * notice.
 */
final class DatabaseTypes {

    /** A class of pgjdbc: whether this class loader can load it says whether pgjdbc is there. */
    static final String PGJDBC_CLASS = "org.postgresql.Driver";

    /** What is missing, and how to add it where this may run. */
    static final String PGJDBC_MISSING = "an engine of type=postgresql needs pgjdbc, PostgreSQL's JDBC driver"
            + " (Maven org.postgresql:postgresql 42.7 or a later 42.x), which this runtime lacks: in OSGi install"
            + " the bundle org.postgresql.jdbc and refresh the bundle dev.sqliteengine.impl (its optional import is"
            + " wired only when it resolves); on the module path add the module org.postgresql.jdbc; on the class"
            + " path add the jar";

    private final DatabaseType sqlite = new SqliteType();
    /** Created on first use; under this. */
    private DatabaseType postgresql;

    /**
     * @return the database type that runs an engine with these settings
     * @throws ConfigurationException naming {@code type} when it is {@code postgresql} and pgjdbc
     *         cannot be loaded
     */
    DatabaseType of(String engine, String type) {
        return PostgresqlSettings.TYPE.equals(type) ? postgresql(engine) : sqlite;
    }

    private synchronized DatabaseType postgresql(String engine) {
        if (postgresql == null) {
            requirePgjdbc(engine);
            postgresql = new PostgresqlType();
        }
        return postgresql;
    }

    private static void requirePgjdbc(String engine) {
        try {
            Class.forName(PGJDBC_CLASS, false, DatabaseTypes.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigurationException(engine, EngineProperties.TYPE, PostgresqlSettings.TYPE, PGJDBC_MISSING);
        }
    }
}
