package dev.sqliteengine.launcher;

import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Apache Felix Web Console, switched on with {@code --web [PORT]}: its bundles (Felix HTTP
 * Jetty, the Web Console, the Engines page, and for the Health Check page Felix Health Check,
 * Event Admin and the bundle that publishes each engine's health) ship in {@code web/} and are
 * installed only then, so a container started without the flag has no HTTP code in it at all.
 * With them come Micrometer and the prometheus bundle, which serves every engine's meters in
 * Prometheus' text format at {@value #METRICS} on the same listener, without the console's
 * password (a scraper has none; the figures carry no data).
 * The health bundles are there only: without the console nothing would show a Felix Health
 * Check, and {@code engine:info} reports the same health.
 * <p>
 * Jetty listens on {@value #LOOPBACK} unless the system property {@value #HOST} names another
 * address: the console can create and delete databases, and its default account is admin/admin,
 * so it is reachable from this machine only until the operator decides otherwise. The Web Console
 * reads its account from Config Admin (PID {@value #CONSOLE_PID}); docs/running.md tells how to change it.
 */
final class WebConsole {

    static final int DEFAULT_PORT = 8080;
    static final String HOST = "org.apache.felix.http.host";
    static final String LOOPBACK = "127.0.0.1";
    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /** Where the prometheus bundle serves every engine's meters, on the same listener. */
    static final String METRICS = "/metrics";
    /** The folder of the web bundles, beside {@code bundles/}. */
    static final String BUNDLES = "web";
    private static final String RUNTIME = "(objectClass=org.osgi.service.servlet.runtime.HttpServiceRuntime)";
    private static final long START_WAIT_MILLIS = 30_000;

    private final int port;

    WebConsole(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--web PORT must be a TCP port from 1 to 65535, not " + port);
        }
        this.port = port;
    }

    /**
     * The HTTP service's framework properties. Felix falls back to system properties for a
     * property the framework was not given, so {@code -Dorg.apache.felix.http.host=...} wins only
     * because the host is left out here when it is set.
     */
    void configure(Map<String, String> properties) {
        properties.put("org.osgi.service.http.port", String.valueOf(port));
        properties.put("org.apache.felix.http.enable", "true");
        properties.put("org.apache.felix.https.enable", "false");
        if (System.getProperty(HOST) == null) {
            properties.put(HOST, LOOPBACK);
        }
        // no "Server: Jetty(11...)" header telling the version to whoever asks
        properties.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        // Micrometer's core bundle imports it (its JVM meters); the framework exports only java.* and javax.*
        properties.put("org.osgi.framework.system.packages.extra", "com.sun.management");
    }

    /**
     * Waits for Jetty's servlet runtime, which Felix HTTP registers once it listens, and says
     * where the console is; or says that it did not come up (the port taken, say: Jetty's own
     * message is in the log above).
     */
    void announce(BundleContext context) throws Exception {
        ServiceTracker<Object, Object> runtime = ServiceWait.await(context, RUNTIME, 1, START_WAIT_MILLIS);
        try {
            ServiceReference<Object> reference = runtime.getServiceReference();
            if (reference == null) {
                System.err.println("sqlite-engine: the web console did not start on port " + port + " within "
                        + START_WAIT_MILLIS / 1000 + " s; see the log above");
                return;
            }
            String host = context.getProperty(HOST);
            System.out.println("sqlite-engine: web console on http://" + host + ":" + port + "/system/console"
                    + " (user admin, password admin until you change them: configuration " + CONSOLE_PID + ")");
            System.out.println("sqlite-engine: Prometheus metrics on http://" + host + ":" + port + METRICS);
        } finally {
            runtime.close();
        }
    }
}
