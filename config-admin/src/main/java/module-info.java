/**
 * Engine configurations in Config Admin, validated before they are stored, and the
 * {@code engine:*} Gogo commands. Exports nothing: it provides the
 * {@code dev.sqliteengine.api.EngineConfigurations} service of the api module.
 */
module dev.sqliteengine.config {
    requires dev.sqliteengine.api;
    requires org.osgi.framework;
    requires org.osgi.service.cm;
    requires org.osgi.util.tracker;

    // Annotations read at build time only (DS, versioning)
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.annotation.versioning;
    // The Gogo API is an optional import (resolution:=optional): the bundle runs without a shell
    requires static org.apache.felix.gogo.runtime;

    // SCR reflects into the components
    opens dev.sqliteengine.config;
}
