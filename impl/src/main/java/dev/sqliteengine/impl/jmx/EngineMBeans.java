package dev.sqliteengine.impl.jmx;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.engine.SqliteEngine;
import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers engines as {@link EngineMXBean}s with an MBean server, named
 * {@code dev.sqliteengine:type=Engine,name=<engine>}. The name depends on the engine's name only,
 * so it stays the same across reconfigurations, pool switches and bundle updates; engine names
 * are unique within a container, so two engines never clash. Engine names are
 * {@code [A-Za-z0-9_.-]+}, which an {@link ObjectName} takes as they are; any other name is
 * quoted ({@link ObjectName#quote}).
 * <p>
 * The whole JVM shares the platform MBean server: should a second container in the same JVM (a
 * second framework) run an engine of the same name, the second one is not registered, and a
 * warning says so.
 */
public final class EngineMBeans {

    /** The JMX domain of every engine's MBean. */
    public static final String DOMAIN = "dev.sqliteengine";

    private static final Logger LOG = LoggerFactory.getLogger(EngineMBeans.class);

    private EngineMBeans() {}

    /** An engine's registration; {@link #unregister()} once the engine has closed. */
    public interface Registration {
        /** Removes the MBean, if this registration made it; a second call does nothing. */
        void unregister();
    }

    /** @return the MBean name of the engine named {@code engine} */
    public static ObjectName objectName(String engine) {
        String value = engine.matches("[A-Za-z0-9_.-]+") ? engine : ObjectName.quote(engine);
        try {
            return new ObjectName(DOMAIN + ":type=Engine,name=" + value);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("[" + engine + "] cannot be named in JMX: " + e.getMessage(), e);
        }
    }

    /** Registers the engine with the platform MBean server. */
    public static Registration register(SqliteEngine engine) {
        return register(engine, ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * Registers the engine with {@code server}. Never throws for JMX's sake: an engine runs
     * whether or not it can be watched (inside OSGi, where every engine is registered).
     */
    public static Registration register(SqliteEngine engine, MBeanServer server) {
        ObjectName name = objectName(engine.name());
        try {
            server.registerMBean(new EngineMBean(engine), name);
        } catch (InstanceAlreadyExistsException e) {
            LOG.warn("[{}] not registered in JMX: {} is taken by an engine of another container in this JVM",
                    engine.name(), name);
            return () -> {};
        } catch (JMException | RuntimeException e) {
            LOG.warn("[{}] not registered in JMX as {}: {}", engine.name(), name, e.toString());
            return () -> {};
        }
        return registration(engine, server, name);
    }

    /**
     * Registers the engine with {@code server} because its configuration asks for it
     * ({@code jmx.enabled=true}): a name that is taken, or any other failure, is the
     * configuration's failure.
     *
     * @throws ConfigurationException naming {@code jmx.enabled} when the MBean cannot be registered
     */
    public static Registration registerAsConfigured(SqliteEngine engine, MBeanServer server) {
        ObjectName name = objectName(engine.name());
        try {
            server.registerMBean(new EngineMBean(engine), name);
        } catch (InstanceAlreadyExistsException e) {
            throw taken(engine.name(), name);
        } catch (JMException | RuntimeException e) {
            throw new ConfigurationException(engine.name(), EngineProperties.JMX_ENABLED, "true",
                    "false, or an MBean server that takes the engine's MBean " + name + ": registering it failed ("
                            + e + ")");
        }
        return registration(engine, server, name);
    }

    /**
     * @throws ConfigurationException naming {@code jmx.enabled} when the MBean name of the engine
     *         named {@code engine} is taken in {@code server} already
     */
    public static void requireFree(String engine, MBeanServer server) {
        ObjectName name = objectName(engine);
        if (server.isRegistered(name)) {
            throw taken(engine, name);
        }
    }

    private static ConfigurationException taken(String engine, ObjectName name) {
        return new ConfigurationException(engine, EngineProperties.JMX_ENABLED, "true", "false, or an engine name whose"
                + " MBean name is free in this JVM: " + name + " is registered already (an engine of the same name from"
                + " another EngineFactory, or from an OSGi framework in the same JVM)");
    }

    private static Registration registration(SqliteEngine engine, MBeanServer server, ObjectName name) {
        return new Registration() {
            private boolean registered = true;

            @Override
            public synchronized void unregister() {
                if (!registered) {
                    return;
                }
                registered = false;
                try {
                    server.unregisterMBean(name);
                } catch (InstanceNotFoundException gone) {
                    // someone else removed it
                } catch (JMException | RuntimeException e) {
                    LOG.warn("[{}] could not be removed from JMX as {}: {}", engine.name(), name, e.toString());
                }
            }
        };
    }
}
