package dev.sqliteengine.impl.osgi;

import static dev.sqliteengine.api.EngineProperties.*;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.impl.jmx.EngineMBeans;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.PostgresqlSettings;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine per factory configuration of {@value dev.sqliteengine.api.EngineProperties#FACTORY_PID}.
 * <p>
 * This component provides no service through DS on purpose. DS registers a component's services
 * before it activates it, so an engine that then failed to open would leave consumers holding a
 * service whose object is null. Instead the engine is opened and validated first, and only then
 * are its three services registered here, by hand. For the same reason a bad configuration does
 * not fail activation (which would only log a stack trace): it is logged as one line naming the
 * PID, the property, the value and what is allowed, and the component waits for a better one.
 * A valid configuration whose database cannot be opened is logged the same way and recorded in
 * the host's {@link OpenFailures} (the {@code EngineFailures} service), until the configuration
 * changes, which tries again, or goes away. When the failure may pass by itself (a PostgreSQL
 * server that is down or not accepting connections yet), the component also tries again by itself
 * ({@link OpenRetries}: after a second, then less and less often, at most every minute), logging
 * the first failure at WARN and the others at DEBUG, and registers the services once it opens.
 * A value that still holds a placeholder of Config Admin's interpolation plugin (a secret file
 * that was not there) is recorded the same way, naming the placeholder ({@link Placeholders}).
 * <p>
 * {@link #modified} keeps the engine and its service registrations: consumers never rebind. Only
 * a new {@code name} re-registers, since the name is the services' identity, and so does a new
 * {@code type}, since an engine keeps its type for life: the engine is closed and a new one
 * opened.
 * <p>
 * The engine joins the {@link ListenerWhiteboard} and the {@link ConnectionSetupWhiteboard} while
 * it runs, so {@code EngineListener} services hear its events and {@code ConnectionSetup} services
 * set up its connections. It opens with both already in place (the listeners hear its first
 * {@code connected} events; its first connections are set up), and is attached to them after it
 * opened, which catches up with services that came or went meanwhile.
 * <p>
 * The engine is registered in JMX ({@link EngineMBeans}) until it closes.
 * <p>
 * DS calls activate, modified and deactivate one at a time for a component; an attempt to open
 * again runs on the host's opener thread. Both hold the component's lock ({@code this}) for all
 * they do, so the fields are only used under it.
 */
// The three services are registered by hand (see above), so bnd cannot see them: declared here,
// so that a resolver (bnd's -resolve.effective: active, for one) can satisfy a consumer bundle's
// mandatory @Reference to one of them
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=dev.sqliteengine.api.Engine",
        uses = Engine.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=dev.sqliteengine.api.ConnectionManager",
        uses = ConnectionManager.class)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=javax.sql.DataSource",
        uses = DataSource.class)
@Component(configurationPid = FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = EngineConfig.class, factory = true)
public final class EngineComponent {

    private static final Logger LOG = LoggerFactory.getLogger(EngineComponent.class);

    private final BundleContext context;
    private final EngineHost host;
    private final ListenerWhiteboard whiteboard;
    private final ConnectionSetupWhiteboard setups;
    private final String pid;
    /** Pending attempts to open again; under this. */
    private final OpenRetries retries;
    /** Set by deactivate: an attempt that was due by then opens nothing. Under this. */
    private boolean deactivated;

    private SqliteEngine engine;
    private ServiceRegistration<Engine> engineRegistration;
    private ServiceRegistration<ConnectionManager> managerRegistration;
    private ServiceRegistration<DataSource> dataSourceRegistration;
    private EngineMBeans.Registration mbean;

    @Activate
    public EngineComponent(BundleContext context, @Reference EngineHost host, @Reference ListenerWhiteboard whiteboard,
            @Reference ConnectionSetupWhiteboard setups, Map<String, Object> properties) {
        this.context = context;
        this.host = host;
        this.whiteboard = whiteboard;
        this.setups = setups;
        this.pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        this.retries = new OpenRetries(host.opener());
        synchronized (this) {
            EngineSettings settings = parse(properties);
            if (settings != null) {
                startOrRetry(settings);
            }
        }
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        retries.cancel(); // whatever comes next, it is for these properties
        EngineSettings settings = parse(properties);
        if (settings == null) {
            return; // rejected and logged; a running engine keeps its settings
        }
        if (engine != null && (!engine.name().equals(settings.name()) || !engine.settings().type().equals(settings.type()))) {
            replace(settings);
            return;
        }
        if (engine == null) {
            startOrRetry(settings);
            return;
        }
        try {
            if (engine.reconfigure(settings)) {
                updateServiceProperties(settings);
            }
        } catch (EngineException e) {
            LOG.error("[{}] configuration {} rejected; the engine keeps its previous settings: {}", settings.name(), pid,
                    e.getMessage());
        }
    }

    /**
     * A new name is a new identity for the services, and a new type a new engine, so the engine
     * is closed, a new one opened and its services registered again. A new name is checked before
     * the running engine is touched; should the new engine then fail to open, the previous
     * settings are put back, so a bad rename or change of type never takes a serving engine down.
     */
    private void replace(EngineSettings settings) {
        if (!engine.name().equals(settings.name()) && host.registry().isRunning(settings.name())) {
            ConfigurationException taken = new ConfigurationException(engine.name(), NAME, settings.name(),
                    "a name no other running engine uses, but an engine named " + settings.name() + " is running");
            LOG.error("Configuration {} rejected; engine {} keeps its previous settings: {}", pid, engine.name(),
                    taken.getMessage());
            engine.reject(taken);
            return;
        }
        EngineSettings previous = engine.settings();
        stop();
        EngineException failure = start(settings);
        if (failure != null && start(previous) == null) {
            engine.reject(failure);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        deactivated = true;
        retries.cancel();
        stop();
        host.failures().clear(pid);
    }

    private EngineSettings parse(Map<String, Object> properties) {
        EngineSettings settings;
        try {
            settings = EngineSettings.parse(properties, nameFromPid(pid), pid);
        } catch (EngineException e) {
            LOG.error("Configuration {} rejected{}: {}", pid, engine == null ? "; no engine registered"
                    : "; engine " + engine.name() + " keeps its previous settings", e.getMessage());
            if (engine != null) {
                engine.reject(e);
            } else {
                host.failures().clear(pid); // no longer an open failure: validation reports why
            }
            return null;
        }
        try {
            Placeholders.requireReplaced(settings.name(), properties);
        } catch (ConfigurationException e) {
            // Valid as stored (the placeholder is), so only this delivery can tell: a failure to open
            LOG.error("Configuration {} rejected{}: {}", pid, engine == null ? "; no engine registered"
                    : "; engine " + engine.name() + " keeps its previous settings", e.getMessage());
            if (engine != null) {
                engine.reject(e);
            } else {
                host.failures().failed(pid, settings.name(), e);
            }
            return null;
        }
        return settings;
    }

    /**
     * The name an engine gets when its configuration has no {@code name}: the PID without the
     * factory PID and the one separator after it. {@code dev.sqliteengine.engine~orders} (a named
     * factory configuration, as FileInstall and the Configurator make) gives {@code orders};
     * {@code dev.sqliteengine.engine.5f0c…} (one Config Admin named itself, as
     * {@code createFactoryConfiguration} and the Web Console make) gives {@code 5f0c…}. The
     * config-admin bundle's {@code ConfigurationStore.nameOf} applies the same rule.
     *
     * @return the default name, or null when the PID has nothing after the factory PID
     */
    static String nameFromPid(String pid) {
        if (pid.startsWith(FACTORY_PID) && pid.length() > FACTORY_PID.length() + 1) {
            return pid.substring(FACTORY_PID.length() + 1);
        }
        int tilde = pid.indexOf('~');
        return tilde < 0 ? null : pid.substring(tilde + 1);
    }

    /**
     * Opens the engine; should that fail for a reason that may pass by itself, tries again later
     * (see {@link OpenRetries}) until it opens.
     */
    private void startOrRetry(EngineSettings settings) {
        EngineException failure = open(settings);
        if (failure == null) {
            return;
        }
        if (!mayPass(settings, failure)) {
            LOG.error("Configuration {} rejected; no engine registered: {}", pid, failure.getMessage());
            return;
        }
        LOG.warn("Configuration {}: no engine registered yet, its database cannot be reached; trying again in {} ms,"
                + " then less and less often (at most every {} s), and logging only at DEBUG until it opens: {}", pid,
                retries.nextDelay(), OpenRetries.MOST_MILLIS / 1000, failure.getMessage());
        retryLater(settings);
    }

    private void retryLater(EngineSettings settings) {
        if (!retries.schedule(() -> retry(settings))) {
            LOG.debug("Configuration {}: the bundle is stopping, so the engine is not tried again", pid);
        }
    }

    /** One more attempt, on the opener thread. */
    private synchronized void retry(EngineSettings settings) {
        if (deactivated || engine != null) {
            return;
        }
        EngineException failure = open(settings);
        if (failure == null) {
            LOG.info("[{}] the database can be reached again: engine open after {} attempts (configuration {})",
                    settings.name(), retries.attempts() + 1, pid);
            retries.cancel();
        } else if (mayPass(settings, failure)) {
            LOG.debug("Configuration {}: still no engine, trying again in {} ms: {}", pid, retries.nextDelay(),
                    failure.getMessage());
            retryLater(settings);
        } else {
            LOG.error("Configuration {} rejected; no engine registered: {}", pid, failure.getMessage());
            retries.cancel();
        }
    }

    /**
     * A configuration that cannot work (a {@link ConfigurationException}, such as a
     * {@code type=postgresql} without pgjdbc in the framework, which also has no type to ask)
     * never works by itself; otherwise the database type says.
     */
    private boolean mayPass(EngineSettings settings, EngineException failure) {
        return !(failure instanceof ConfigurationException)
                && host.registry().typeOf(settings).errors().mayPassByItself(failure);
    }

    /** @return null when the engine runs, else why it could not open (already logged) */
    private EngineException start(EngineSettings settings) {
        EngineException failure = open(settings);
        if (failure != null) {
            LOG.error("Configuration {} rejected; no engine registered: {}", pid, failure.getMessage());
        }
        return failure;
    }

    /** @return null when the engine runs, else why it could not open (recorded, not logged) */
    private EngineException open(EngineSettings settings) {
        List<EngineListener> listeners = whiteboard.listenersFor(settings.name());
        try {
            engine = SqliteEngine.open(settings, host.registry(), listeners, setups::forEngine);
        } catch (EngineException e) {
            host.failures().failed(pid, settings.name(), e);
            return e;
        }
        host.failures().clear(pid);
        whiteboard.attach(engine, listeners);
        setups.attach(engine);
        Dictionary<String, Object> properties = serviceProperties(settings);
        engineRegistration = context.registerService(Engine.class, engine, properties);
        managerRegistration = context.registerService(ConnectionManager.class, engine.connections(), properties);
        dataSourceRegistration = context.registerService(DataSource.class, engine.dataSource(), properties);
        mbean = EngineMBeans.register(engine);
        LOG.info("[{}] engine open on {} (configuration {})", settings.name(), engine.status().path(), pid);
        return null;
    }

    private void stop() {
        // Unregister first, so no consumer finds an engine that is closing.
        for (ServiceRegistration<?> registration : new ServiceRegistration<?>[] {
                dataSourceRegistration, managerRegistration, engineRegistration}) {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the bundle
                }
            }
        }
        engineRegistration = null;
        managerRegistration = null;
        dataSourceRegistration = null;
        if (engine != null) {
            try {
                engine.close();
            } finally {
                setups.detach(engine);
                whiteboard.detach(engine); // after close, so whiteboard listeners hear CLOSED
                mbean.unregister(); // after close: the name is free for an engine that takes it over
                mbean = null;
            }
            LOG.info("[{}] engine closed (configuration {})", engine.name(), pid);
            engine = null;
        }
    }

    private void updateServiceProperties(EngineSettings settings) {
        Dictionary<String, Object> properties = serviceProperties(settings);
        for (ServiceRegistration<?> registration : new ServiceRegistration<?>[] {
                engineRegistration, managerRegistration, dataSourceRegistration}) {
            try {
                registration.setProperties(properties);
            } catch (IllegalStateException e) {
                // The registration went with the bundle, which is stopping (a configuration event
                // can still arrive on Config Admin's thread then): deactivate follows, and closes.
                LOG.debug("[{}] service properties not updated: the bundle is stopping", settings.name());
            }
        }
    }

    /** The name three times over (for each naming convention), and where the data lives; never secrets. */
    private Dictionary<String, Object> serviceProperties(EngineSettings settings) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ENGINE_NAME, settings.name());
        properties.put(DATA_SOURCE_NAME, settings.name());
        properties.put(JNDI_SERVICE_NAME, settings.name());
        properties.put(PATH, engine.status().path());
        properties.put(READ_ONLY, settings.readOnly());
        properties.put(CONNECTION_MAX, settings.maxConnections());
        properties.put(Constants.SERVICE_DESCRIPTION, (PostgresqlSettings.TYPE.equals(settings.type()) ? "PostgreSQL"
                : "SQLite") + " engine " + settings.name());
        return properties;
    }
}
