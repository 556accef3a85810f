package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.settings.PostgresqlSettings;

/**
 * Whether pgjdbc, which this package needs and the rest of the engine does not, is there. It is
 * optional (the bundle imports it with {@code resolution:=optional}, the module
 * {@code requires static} it, the Maven dependency is optional), so a SQLite-only runtime does
 * without it. This class names pgjdbc only as text: loading it loads nothing of pgjdbc's, unlike
 * {@link PostgresqlType} and the classes it uses, which are loaded only once {@link #require}
 * passed.
 */
public final class Pgjdbc {

    /** A class of pgjdbc: whether this package's class loader can load it says whether pgjdbc is there. */
    static final String DRIVER = "org.postgresql.Driver";

    /** What is missing, and how to add it where this may run. */
    static final String MISSING = "an engine of type=postgresql needs pgjdbc, PostgreSQL's JDBC driver"
            + " (Maven org.postgresql:postgresql 42.7 or a later 42.x), which this runtime lacks: in OSGi install"
            + " the bundle org.postgresql.jdbc and refresh the bundle dev.sqliteengine.impl (its optional import is"
            + " wired only when it resolves); on the module path add the module org.postgresql.jdbc; on the class"
            + " path add the jar";

    private Pgjdbc() {}

    /**
     * @param engine the engine's name, for the message
     * @throws ConfigurationException naming {@code type} when pgjdbc cannot be loaded
     */
    public static void require(String engine) {
        try {
            Class.forName(DRIVER, false, Pgjdbc.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigurationException(engine, EngineProperties.TYPE, PostgresqlSettings.TYPE, MISSING);
        }
    }
}
