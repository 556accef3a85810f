package dev.sqliteengine.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The engine configurations in Config Admin's store ({@code HOME/config-admin}), as the launcher
 * sees them before the engines start.
 * <p>
 * FileInstall marks a configuration it made from a file with the file's URI
 * ({@value #FILENAME}). It deletes the configuration when it sees the file go, but only while it
 * runs: it keeps no record of the files it saw, so a file removed while the container was stopped
 * would leave its engine in the store for ever. {@link #forgetRemovedFiles(Path)} deletes those.
 * <p>
 * Like {@link CommandRunner}, this class lives outside the framework and must not share Config
 * Admin's classes with it: it calls the service reflectively, with {@code java.*} types only.
 */
final class StoredConfigurations {

    static final String FILENAME = "felix.fileinstall.filename";
    private static final String ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String CONFIGURATION = "org.osgi.service.cm.Configuration";
    private static final String ENGINES = "(service.factoryPid=dev.sqliteengine.engine)";

    private final Object admin;
    private final Method listConfigurations;
    private final Method getProperties;
    private final Method getPid;
    private final Method delete;

    private StoredConfigurations(Object admin, Bundle cm) throws ReflectiveOperationException {
        this.admin = admin;
        Class<?> adminType = cm.loadClass(ADMIN);
        Class<?> configurationType = cm.loadClass(CONFIGURATION);
        this.listConfigurations = adminType.getMethod("listConfigurations", String.class);
        this.getProperties = configurationType.getMethod("getProperties");
        this.getPid = configurationType.getMethod("getPid");
        this.delete = configurationType.getMethod("delete");
    }

    /** @return the store, through the Config Admin service, which must be registered already */
    static StoredConfigurations of(BundleContext context) throws ReflectiveOperationException {
        ServiceReference<?> reference = context.getServiceReference(ADMIN);
        if (reference == null) {
            throw new IllegalStateException("Config Admin is not running");
        }
        Object admin = context.getService(reference);
        return new StoredConfigurations(admin, reference.getBundle());
    }

    /** A configuration deleted because its file is gone. */
    record Forgotten(String file, String pid) {}

    /**
     * Deletes the configurations that FileInstall made from files in {@code conf} that are gone.
     *
     * @return what was deleted
     */
    List<Forgotten> forgetRemovedFiles(Path conf) throws IOException, ReflectiveOperationException {
        List<Forgotten> removed = new ArrayList<>();
        Path folder = watched(conf);
        for (Object configuration : list("(" + FILENAME + "=*)")) {
            Path file = fileOf(configuration);
            if (file != null && folder.equals(file.getParent()) && !Files.exists(file)) {
                String pid = String.valueOf(invoke(getPid, configuration)); // a deleted configuration has none
                invoke(delete, configuration);
                removed.add(new Forgotten(file.getFileName().toString(), pid));
            }
        }
        return removed;
    }

    /** @return the PIDs of the engine configurations without a file in {@code conf}: those made in the shell or by code */
    Set<String> enginesWithoutFile(Path conf) throws IOException, ReflectiveOperationException {
        Set<String> pids = new TreeSet<>();
        Path folder = watched(conf);
        for (Object configuration : list(ENGINES)) {
            Path file = fileOf(configuration);
            if (file == null || !folder.equals(file.getParent())) {
                pids.add(String.valueOf(invoke(getPid, configuration)));
            }
        }
        return pids;
    }

    /** Deletes the configuration of this PID, if the store has one (a throwaway one a stop left behind: {@link ConfigEventFlush}). */
    void delete(String pid) throws IOException, ReflectiveOperationException {
        for (Object configuration : list("(service.pid=" + pid + ")")) {
            invoke(delete, configuration);
        }
    }

    /** @return the folder as FileInstall names its files: it watches the folder's canonical path */
    private static Path watched(Path conf) throws IOException {
        return conf.toRealPath();
    }

    private Object[] list(String filter) throws IOException, ReflectiveOperationException {
        Object[] found = (Object[]) invoke(listConfigurations, admin, filter);
        return found == null ? new Object[0] : found;
    }

    private Path fileOf(Object configuration) throws IOException, ReflectiveOperationException {
        Dictionary<?, ?> properties = (Dictionary<?, ?>) invoke(getProperties, configuration);
        Object name = properties == null ? null : properties.get(FILENAME);
        if (!(name instanceof String uri)) {
            return null;
        }
        try {
            return Path.of(URI.create(uri)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return null; // not a file URI: not one of ours
        }
    }

    /** Calls a Config Admin method and throws what it threw. */
    private static Object invoke(Method method, Object target, Object... args) throws IOException,
            ReflectiveOperationException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io; // the store failed
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
