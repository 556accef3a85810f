/**
 * OSGi Transaction Control over the engines: one
 * {@code org.osgi.service.transaction.control.jdbc.JDBCConnectionProvider} service per
 * {@code Engine} service, made by the installed {@code JDBCConnectionProviderFactory}. Exports
 * nothing. Without a {@code JDBCConnectionProviderFactory} service its one component stays
 * unsatisfied and the bundle does nothing.
 */
module dev.sqliteengine.txcontrol {
    requires dev.sqliteengine.api;
    requires java.sql;
    requires org.osgi.framework;
    requires org.osgi.service.transaction.control;

    // Read at build time only (DS, the bundle's capability); the JDBC service API only so that
    // javac can tell JDBCConnectionProviderFactory's overloads apart
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.service.jdbc;

    // SCR constructs the component reflectively
    opens dev.sqliteengine.txcontrol;
}
