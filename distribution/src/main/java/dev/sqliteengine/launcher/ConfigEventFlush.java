package dev.sqliteengine.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * Waits until Config Admin has delivered the configuration events it fired so far.
 * <p>
 * Config Admin delivers events to {@code ConfigurationListener}s on one thread of its own, in the
 * order it fired them, and FileInstall writes a configuration back into its {@code .cfg} file
 * when the event reaches it. A stop right after {@code engine:set} (the last {@code --run}
 * command, say) raced that thread: the event reached a FileInstall already stopped, the file kept
 * the old values, and the next start took the change back from the file. So before a stop, this
 * fires an event of its own (an update of a throwaway configuration of PID {@value #PID}) and
 * waits for it to arrive: the events before it have been delivered to every listener,
 * FileInstall's write-backs included. The throwaway configuration has no file, so FileInstall
 * leaves it alone. It stays in the store until the next start deletes it
 * ({@link StoredConfigurations#delete}),
 * before FileInstall runs: deleted at once, it would be gone when FileInstall, called after this
 * class's listener, reads it for the update's event.
 * <p>
 * Like {@link StoredConfigurations}, this class lives outside the framework and does not share
 * Config Admin's classes with it: it calls the service reflectively and listens through a
 * {@link Proxy} of the listener interface loaded from Config Admin's bundle.
 */
final class ConfigEventFlush {

    /** The throwaway configuration's PID. */
    static final String PID = "dev.sqliteengine.launcher.flush";
    private static final String ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";
    private static final String LISTENER = "org.osgi.service.cm.ConfigurationListener";
    private static final String EVENT = "org.osgi.service.cm.ConfigurationEvent";
    private static final int CM_UPDATED = 1;

    private ConfigEventFlush() {}

    /**
     * Returns once the events fired before it have been delivered, or after {@code millis}, or at
     * once when Config Admin is not running; a failure is printed, never thrown: a stop goes on.
     */
    static void await(BundleContext context, long millis) {
        ServiceReference<?> reference = context.getServiceReference(ADMIN);
        if (reference == null) {
            return;
        }
        ServiceRegistration<?> registration = null;
        try {
            Object admin = context.getService(reference);
            if (admin == null) {
                return;
            }
            Class<?> listenerType = reference.getBundle().loadClass(LISTENER);
            Class<?> eventType = reference.getBundle().loadClass(EVENT);
            Method getPid = eventType.getMethod("getPid");
            Method getType = eventType.getMethod("getType");
            CountDownLatch updated = new CountDownLatch(1);
            InvocationHandler handler = (proxy, method, args) -> {
                if (method.getName().equals("configurationEvent")) {
                    Object event = args[0];
                    if (PID.equals(getPid.invoke(event)) && (Integer) getType.invoke(event) == CM_UPDATED) {
                        updated.countDown();
                    }
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "sqlite-engine's Config Admin event flush";
                    default -> null;
                };
            };
            Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType}, handler);
            registration = context.registerService(LISTENER, listener, null);

            Class<?> adminType = reference.getBundle().loadClass(ADMIN);
            Class<?> configurationType = reference.getBundle().loadClass(CONFIGURATION);
            Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, PID, null);
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("purpose", "waits for the configuration events before a stop; deleted at once");
            configurationType.getMethod("update", Dictionary.class).invoke(configuration, properties);
            if (!updated.await(millis, TimeUnit.MILLISECONDS)) {
                System.err.println("sqlite-engine: Config Admin did not deliver its events within " + millis / 1000
                        + " s; a change made just before the stop may be missing from its .cfg file");
            }
        } catch (InvocationTargetException e) {
            System.err.println("sqlite-engine: waiting for Config Admin's events failed: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("sqlite-engine: waiting for Config Admin's events failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // the framework is stopping already
                }
            }
            try {
                context.ungetService(reference);
            } catch (IllegalStateException e) {
                // the framework is stopping already
            }
        }
    }
}
