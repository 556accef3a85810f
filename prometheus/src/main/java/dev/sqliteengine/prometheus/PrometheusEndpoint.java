package dev.sqliteengine.prometheus;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Hashtable;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Prometheus' view of the framework's meters: a {@link PrometheusMeterRegistry}, registered as a
 * {@link MeterRegistry} service so that whatever binds meters to registries (the sqlite-engine
 * micrometer bundle binds every engine's) binds them to it, and scraped at {@value #PATH} on the
 * HTTP whiteboard, in Prometheus' text format (version 0.0.4). Immediate: the registry collects
 * from the start, before the first scrape asks for the servlet.
 * <p>
 * The path answers without a password, as Prometheus scrapers expect; it shows figures and
 * names, never data or settings. The runnable jar's HTTP listener is on 127.0.0.1 unless the
 * operator moves it (see its web console), and this endpoint is on the same listener.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=io.micrometer.core.instrument.MeterRegistry",
        uses = MeterRegistry.class)
@Component(service = Servlet.class, immediate = true, property = {
        "osgi.http.whiteboard.servlet.pattern=" + PrometheusEndpoint.PATH,
        "osgi.http.whiteboard.servlet.name=sqlite-engine Prometheus endpoint" })
public final class PrometheusEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Where the scrape is served. */
    static final String PATH = "/metrics";
    /** Prometheus' text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final transient ServiceRegistration<MeterRegistry> registration;

    @Activate
    public PrometheusEndpoint(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("registry.type", "prometheus");
        registration = context.registerService(MeterRegistry.class, registry, properties);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(registry.scrape());
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        registry.close();
    }
}
