/**
 * Micrometer meters over sqlite-engine's engines: {@link dev.sqliteengine.micrometer.EngineMeters}
 * binds one engine to a {@code MeterRegistry}; in OSGi a component binds every {@code Engine}
 * service to every {@code MeterRegistry} service. Exports exactly the package it exports with
 * {@code @Export}.
 */
module dev.sqliteengine.micrometer {
    requires transitive dev.sqliteengine.api;
    // micrometer-core names no module: its automatic name is its manifest's Automatic-Module-Name
    requires transitive micrometer.core;

    // Read at build time only (DS, bundle and versioning annotations)
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports dev.sqliteengine.micrometer;
    // SCR constructs the component reflectively
    opens dev.sqliteengine.micrometer.osgi;
}
