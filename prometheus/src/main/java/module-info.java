/**
 * A Prometheus endpoint for an OSGi framework: a Micrometer {@code PrometheusMeterRegistry}
 * registered as a {@code MeterRegistry} service, scraped at {@code /metrics} through the OSGi
 * HTTP whiteboard. Exports nothing.
 */
module dev.sqliteengine.prometheus {
    // micrometer's jars name no module: their automatic names are their manifests'
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires jakarta.servlet;
    requires org.osgi.framework;

    // Read at build time only (DS, the bundle's capability)
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.annotation.bundle;

    // SCR constructs the component reflectively
    opens dev.sqliteengine.prometheus;
}
