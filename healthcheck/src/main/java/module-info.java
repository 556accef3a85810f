/**
 * Apache Felix Health Checks over the engines: one
 * {@code org.apache.felix.hc.api.HealthCheck} service per {@code Engine} service, reporting
 * {@code Engine.health()}. Exports nothing. Install it next to the Felix Health Check bundles;
 * the impl bundle does not need it, nor them.
 */
module dev.sqliteengine.healthcheck {
    requires dev.sqliteengine.api;
    requires org.osgi.framework;
    // The Felix Health Check API jar has no module name: its automatic name is its file's
    requires org.apache.felix.healthcheck.api;

    // Read at build time only (DS, the bundle's capability)
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.annotation.bundle;

    // SCR constructs the component reflectively
    opens dev.sqliteengine.healthcheck;
}
