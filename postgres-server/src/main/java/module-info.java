/**
 * Real PostgreSQL servers for tests and benchmarks: a primary from {@code initdb}, streaming
 * replicas from {@code pg_basebackup}, started from the machine's PostgreSQL binaries and always
 * stopped. Exports exactly the packages the bundle exports with {@code @Export}.
 */
module dev.sqliteengine.postgres.server {
    requires transitive java.sql;
    // pgjdbc names no module descriptor: its automatic module name (Automatic-Module-Name)
    requires org.postgresql.jdbc;
    // pgjdbc's DataSource implements javax.naming.Referenceable; as an automatic module pgjdbc
    // requires nothing, so without this the class fails to load where no module reads java.naming
    requires java.naming;

    // The JUnit extension's package only; the launcher itself runs without JUnit
    requires static org.junit.jupiter.api;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports dev.sqliteengine.postgres.server;
    exports dev.sqliteengine.postgres.server.junit;
}
