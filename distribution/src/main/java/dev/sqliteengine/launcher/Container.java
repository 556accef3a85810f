package dev.sqliteengine.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One OSGi framework with the bundles shipped in {@code bundles/} (inside the executable jar, or
 * a folder when run from the build), FileInstall watching {@code HOME/conf}, and the framework
 * cache in {@code HOME/cache}, cleaned at every start so a new jar never runs old bundles.
 * <p>
 * What the operator does is kept outside the cache, in two places:
 * <ul>
 * <li>{@code HOME/config-admin}: Config Admin's store ({@code felix.cm.dir}), with every
 * configuration, also those made in the shell, which have no file. {@code --clean} empties it.</li>
 * <li>{@code HOME/conf/*.cfg}: FileInstall applies the files and writes Config Admin's changes of
 * their configurations back into them ({@code felix.fileinstall.enableConfigSave}): an
 * {@code engine:set} lands in the engine's file, an {@code engine:delete} deletes it. Otherwise
 * FileInstall, which applies every file again at each start, would undo the one and bring back
 * the other.</li>
 * </ul>
 * Config Admin starts first, so that a configuration whose file was removed while the container
 * was stopped is deleted before any engine opens from it ({@link StoredConfigurations}); before
 * that, a file that mixes FileInstall's two syntaxes is made typed throughout
 * ({@link MixedCfgFiles}). Its interpolation plugin starts just before it, since Config Admin
 * hands out no configuration until the plugin is there ({@link SecretsFolder}).
 */
final class Container {

    private static final String SHELL = "org.apache.felix.gogo.shell";
    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";
    private static final String INTERPOLATION = SecretsFolder.PLUGIN;
    /** The start level at which FileInstall starts watching conf/. */
    private static final int WATCHING_LEVEL = 2;
    private static final long ENGINE_WAIT_MILLIS = 30_000;
    /** How long a stop waits for Config Admin's events already fired to be delivered. */
    private static final long CONFIG_EVENTS_MILLIS = 10_000;
    /** Config Admin's store, below HOME. */
    static final String STORE = "config-admin";

    private final Path home;
    private final String factoryClass;
    private final boolean interactive;
    private final boolean clean;
    private final Optional<WebConsole> web;
    private Framework framework;

    /**
     * @param clean whether to empty Config Admin's store first: engines made in the shell are
     *        forgotten, and the {@code .cfg} files in {@code HOME/conf} configure the rest
     * @param web the web console, when it is switched on: its bundles are installed and started too
     */
    Container(Path home, String factoryClass, boolean interactive, boolean clean, Optional<WebConsole> web) {
        this.home = home;
        this.factoryClass = factoryClass;
        this.interactive = interactive;
        this.clean = clean;
        this.web = web;
    }

    void start() throws Exception {
        Path conf = DefaultConfiguration.ensure(home);
        Path store = home.resolve(STORE);
        if (clean) {
            deleteTree(store);
        }
        for (String repaired : MixedCfgFiles.repair(conf)) {
            System.out.println("sqlite-engine: " + repaired);
        }
        SecretsFolder.ensure(home).ifPresent(warning -> System.err.println("sqlite-engine: " + warning));
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, home.resolve("cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // Relative paths typed in engine:create, engine:set and engine:backup resolve against HOME/data
        properties.put("dev.sqliteengine.dataDir", home.resolve("data").toString());
        properties.put("felix.fileinstall.dir", conf.toString());
        properties.put("felix.fileinstall.poll", "1000");
        // The first scan of conf/ runs inside FileInstall's start(), so once it returns Config
        // Admin holds what the files say, and the engines that come up are the files' engines.
        properties.put("felix.fileinstall.noInitialDelay", "true");
        // FileInstall 3.7.4 writes a file back by truncating and rewriting it in place, and its
        // watcher reports a file it sees change twice within one scan: when its first scan ran
        // during the write-backs of the configurations its start() had just made, it read a file
        // empty, and emptied the configuration and the file (about one start in six). So the
        // watcher waits for start level 2, which the framework reaches only after the engines
        // are up; the write-backs are done long before that.
        properties.put("felix.fileinstall.active.level", String.valueOf(WATCHING_LEVEL));
        properties.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1");
        properties.put("felix.fileinstall.log.level", "2");
        // Changes of a file's configuration go back into the file. FileInstall 3.7.4 writes the
        // whole file in its typed syntax (key = I"4") once a value is not a String, and reads a
        // file typed only if every value is: docs/running.md tells how to edit such a file.
        properties.put("felix.fileinstall.enableConfigSave", "true");
        properties.put("felix.cm.dir", store.toString());
        SecretsFolder.configure(home, properties);
        properties.put("gosh.args", interactive ? "" : "--nointeractive");
        properties.put("gosh.home", home.toString());
        // Equinox: no console of its own, and the JVM's exit stays ours.
        properties.put("osgi.console", "");
        properties.put("eclipse.ignoreApp", "true");
        properties.put("osgi.noShutdown", "true");
        web.ifPresent(console -> console.configure(properties));

        framework = factory().newFramework(properties);
        framework.init();
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        List<String> folders = web.isPresent() ? List.of("bundles", WebConsole.BUNDLES) : List.of("bundles");
        for (String folder : folders) {
            for (Map.Entry<String, InputStream> bundle : bundles(folder).entrySet()) {
                try (InputStream in = bundle.getValue()) {
                    installed.add(context.installBundle("sqlite-engine:" + folder + "/" + bundle.getKey(), in));
                }
            }
        }
        framework.start();
        Bundle interpolation = shipped(installed, INTERPOLATION);
        interpolation.start();
        Bundle configAdmin = shipped(installed, CONFIG_ADMIN);
        configAdmin.start();
        StoredConfigurations stored = StoredConfigurations.of(context);
        stored.delete(ConfigEventFlush.PID);
        for (StoredConfigurations.Forgotten forgotten : stored.forgetRemovedFiles(conf)) {
            System.out.println("sqlite-engine: deleted the configuration " + forgotten.pid() + ": its file conf/"
                    + forgotten.file() + " was removed while the container was stopped");
        }
        // a shell-made configuration that a file of the same name now takes over counts once
        Set<String> configured = DefaultConfiguration.pids(home);
        configured.addAll(stored.enginesWithoutFile(conf));
        int expectedEngines = configured.size();
        Bundle shell = null;
        for (Bundle bundle : installed) {
            if (SHELL.equals(bundle.getSymbolicName())) {
                shell = bundle;
            } else if (bundle != configAdmin && bundle != interpolation
                    && bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
        // The prompt and the first --run command come once the configured engines run, so that
        // they meet running engines rather than configurations still on their way.
        ServiceTracker<Object, Object> engines = ServiceWait.await(context, "(objectClass=dev.sqliteengine.api.Engine)",
                expectedEngines, ENGINE_WAIT_MILLIS);
        if (engines.size() < expectedEngines) {
            System.err.println("sqlite-engine: not every configured engine started within "
                    + ENGINE_WAIT_MILLIS / 1000 + " s; see the log above");
        }
        engines.close();
        raiseStartLevel();
        if (web.isPresent()) {
            web.get().announce(context);
        }
        if (shell != null) {
            shell.start();
        }
    }

    /**
     * Raises the framework to {@link #WATCHING_LEVEL} and waits until it is there. Felix changes
     * the level on a thread of its own, and a bundle started meanwhile whose start level is the
     * one the framework is leaving is only queued for that thread, which has passed that level
     * already and never starts it: the shell, started right after an asynchronous raise, came up
     * about one start in thirty with no prompt and no shell thread at all.
     */
    private void raiseStartLevel() throws InterruptedException {
        CountDownLatch raised = new CountDownLatch(1);
        framework.adapt(FrameworkStartLevel.class).setStartLevel(WATCHING_LEVEL, event -> {
            if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED) {
                raised.countDown();
            }
        });
        if (!raised.await(ENGINE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            System.err.println("sqlite-engine: the framework did not reach start level " + WATCHING_LEVEL + " within "
                    + ENGINE_WAIT_MILLIS / 1000 + " s; conf/ may not be watched");
        }
    }

    private static Bundle shipped(List<Bundle> installed, String symbolicName) {
        return installed.stream().filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + symbolicName + " bundle among the shipped bundles"));
    }

    private FrameworkFactory factory() throws ReflectiveOperationException {
        if (factoryClass != null) {
            return (FrameworkFactory) Class.forName(factoryClass).getDeclaredConstructor().newInstance();
        }
        return ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
    }

    /**
     * The bundles shipped in one folder ({@code bundles/}, or {@code web/}), by file name, in name
     * order (the start order does not matter: DS waits).
     */
    private Map<String, InputStream> bundles(String folder) throws IOException, URISyntaxException {
        Path source = Path.of(Container.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, InputStream> out = new java.util.TreeMap<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source.resolve(folder))) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                    out.put(file.getFileName().toString(), Files.newInputStream(file));
                }
            }
        } else {
            JarFile jar = new JarFile(source.toFile()); // closed with the JVM: its streams are read at install
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = entry.getName();
                if (name.startsWith(folder + "/") && name.endsWith(".jar")) {
                    out.put(name.substring(folder.length() + 1), jar.getInputStream(entry));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no bundles found in " + source + " (" + folder + "/)");
        }
        return out;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Stops the framework and waits for it: engines drain and close. Safe to call more than once. */
    synchronized void stop() {
        if (framework == null) {
            return;
        }
        try {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                // FileInstall writes a changed configuration back into its .cfg file when Config
                // Admin's event reaches it, on Config Admin's event thread: an engine:set just
                // before the stop would otherwise be lost from the file (and taken back from it at
                // the next start), its event arriving at a FileInstall already stopped.
                ConfigEventFlush.await(framework.getBundleContext(), CONFIG_EVENTS_MILLIS);
                framework.stop();
            }
            framework.waitForStop(60_000);
        } catch (BundleException | InterruptedException e) {
            System.err.println("sqlite-engine: stopping the framework failed: " + e.getMessage());
        }
    }
}
