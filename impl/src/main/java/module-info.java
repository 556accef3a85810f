/**
 * The sqlite-engine implementation. In OSGi its components turn Config Admin factory
 * configurations into engines; on the plain module path it provides the {@code EngineFactory}
 * to {@link java.util.ServiceLoader}. It exports no API: only the MXBean's package, which the
 * platform MBean server must reach (see below).
 */
module dev.sqliteengine.impl {
    requires dev.sqliteengine.api;
    requires java.sql;
    requires com.zaxxer.hikari;
    requires org.xerial.sqlitejdbc;
    // pgjdbc, only for engines of type=postgresql (its classes load only for them): a SQLite-only
    // application leaves it off the module path. It names no module: its automatic module name is
    // in its manifest. Like every automatic module on the module path, it is resolved as soon as
    // one automatic module is (HdrHistogram, below, is one), so nothing needs --add-modules for it.
    requires static org.postgresql.jdbc;
    requires org.slf4j;
    // HdrHistogram 2.1.12 names no module: its automatic module name comes from the jar's name
    requires HdrHistogram;
    requires java.management;

    // OSGi: present in a framework, absent on the plain module path, where no class that uses
    // them is ever loaded.
    requires static org.osgi.framework;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires static org.osgi.annotation.bundle;

    // SCR constructs the components reflectively.
    opens dev.sqliteengine.impl.osgi;
    // The MXBean interface of engines. Exported to everyone, not only to java.management: on the
    // module path the MBean server calls an MXBean's methods through a class of the JDK's own in
    // an unnamed module (sun.reflect.misc.Trampoline), which reaches the interface only through an
    // unqualified export (ServiceLoaderTest reads an attribute to prove it). Not an API: the bundle
    // exports no package, and no type of it appears in the api module.
    exports dev.sqliteengine.impl.jmx;

    provides dev.sqliteengine.api.EngineFactory with dev.sqliteengine.impl.standalone.StandaloneEngineFactory;
}
