/**
 * An "Engines" page for the Apache Felix Web Console: each engine's state and figures, and
 * actions on it (a WAL checkpoint, an online backup). Exports nothing: its one component is a
 * {@code jakarta.servlet.Servlet} service that the Web Console picks up by its
 * {@code felix.webconsole.label}.
 */
module dev.sqliteengine.webconsole {
    requires dev.sqliteengine.api;
    requires java.sql;
    requires jakarta.servlet;

    // Read at build time only (DS)
    requires static org.osgi.service.component.annotations;

    // SCR constructs the component reflectively
    opens dev.sqliteengine.webconsole;
}
