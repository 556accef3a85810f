/**
 * The sqlite-engine contract: pooled SQLite engines, units of work, events, status and errors.
 * Exports exactly the packages the bundle exports with {@code @Export}.
 */
module dev.sqliteengine.api {
    requires transitive java.sql;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports dev.sqliteengine.api;
}
