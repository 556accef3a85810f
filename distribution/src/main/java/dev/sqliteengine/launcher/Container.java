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
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * One OSGi framework with the bundles shipped in {@code bundles/} (inside the executable jar, or
 * a folder when run from the build), FileInstall watching {@code HOME/conf}, and the framework
 * cache in {@code HOME/cache}, cleaned at every start so a new jar never runs old bundles.
 */
final class Container {

    private static final String SHELL = "org.apache.felix.gogo.shell";

    private final Path home;
    private final String factoryClass;
    private final boolean interactive;
    private Framework framework;

    Container(Path home, String factoryClass, boolean interactive) {
        this.home = home;
        this.factoryClass = factoryClass;
        this.interactive = interactive;
    }

    void start() throws Exception {
        Path conf = DefaultConfiguration.ensure(home);
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, home.resolve("cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // Relative paths typed in engine:create, engine:set and engine:backup resolve against HOME/data
        properties.put("dev.sqliteengine.dataDir", home.resolve("data").toString());
        properties.put("felix.fileinstall.dir", conf.toString());
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.log.level", "2");
        // FileInstall 3.7.4 writes Config Admin changes back in the typed .config syntax
        // (I"4"), which it then cannot read from a .cfg file at the next start: the engine
        // would lose its path. The .cfg files stay the operator's; engine:set is live only.
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("gosh.args", interactive ? "" : "--nointeractive");
        properties.put("gosh.home", home.toString());
        // Equinox: no console of its own, and the JVM's exit stays ours.
        properties.put("osgi.console", "");
        properties.put("eclipse.ignoreApp", "true");
        properties.put("osgi.noShutdown", "true");

        framework = factory().newFramework(properties);
        framework.init();
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (Map.Entry<String, InputStream> bundle : bundles().entrySet()) {
            try (InputStream in = bundle.getValue()) {
                installed.add(context.installBundle("sqlite-engine:bundles/" + bundle.getKey(), in));
            }
        }
        framework.start();
        Bundle shell = null;
        for (Bundle bundle : installed) {
            if (SHELL.equals(bundle.getSymbolicName())) {
                shell = bundle;
            } else if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                bundle.start();
            }
        }
        if (interactive) {
            // The prompt comes once the configured engines run, so a first engine:set or
            // engine:query meets a running engine rather than a configuration still on its way.
            ServiceWait.await(context, "(objectClass=dev.sqliteengine.api.Engine)", expectedEngines(), 30_000).close();
        }
        if (shell != null) {
            shell.start();
        }
    }

    private FrameworkFactory factory() throws ReflectiveOperationException {
        if (factoryClass != null) {
            return (FrameworkFactory) Class.forName(factoryClass).getDeclaredConstructor().newInstance();
        }
        return ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
    }

    /** The shipped bundles by file name, in name order (the start order does not matter: DS waits). */
    private Map<String, InputStream> bundles() throws IOException, URISyntaxException {
        Path source = Path.of(Container.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, InputStream> out = new java.util.TreeMap<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source.resolve("bundles"))) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                    out.put(file.getFileName().toString(), Files.newInputStream(file));
                }
            }
        } else {
            JarFile jar = new JarFile(source.toFile()); // closed with the JVM: its streams are read at install
            for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = entry.getName();
                if (name.startsWith("bundles/") && name.endsWith(".jar")) {
                    out.put(name.substring("bundles/".length()), jar.getInputStream(entry));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no bundles found in " + source);
        }
        return out;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /** @return how many engines HOME/conf configures, to wait for before running commands */
    int expectedEngines() throws IOException {
        return DefaultConfiguration.count(home);
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
                framework.stop();
            }
            framework.waitForStop(60_000);
        } catch (BundleException | InterruptedException e) {
            System.err.println("sqlite-engine: stopping the framework failed: " + e.getMessage());
        }
    }
}
