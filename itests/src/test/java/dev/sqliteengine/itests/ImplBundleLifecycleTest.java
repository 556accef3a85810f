package dev.sqliteengine.itests;

import static dev.sqliteengine.itests.support.Engines.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Bundles;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.itests.support.ProcessResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Stopping, starting and updating the impl bundle, as a container does on a redeploy: the
 * engines come back from their configurations with their data, and nothing of a stopped engine
 * (threads, open files) stays behind.
 */
class ImplBundleLifecycleTest {

    private static final String IMPL = "dev.sqliteengine.impl";
    private static final List<String> NAMES = List.of("alpha", "beta");
    private static final int CYCLES = 20;
    private static final int UPDATES = 3;
    private static final int THREAD_TOLERANCE = 5;
    private static final int FD_TOLERANCE = 10;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @TempDir
    Path dir;

    Engines engines;
    Bundle impl;
    /** Rows each engine must hold: one more after every restart. */
    final Map<String, Long> rows = new LinkedHashMap<>();

    @BeforeEach
    void twoEngines() throws Exception {
        engines = new Engines(context, admin);
        impl = Bundles.named(context, IMPL);
        for (String name : NAMES) {
            engines.configure(name, EngineProperties.PATH, dir.resolve(name + ".db").toString());
            ConnectionManager manager = engines.service(ConnectionManager.class, name);
            manager.execute(c -> c.createStatement().executeUpdate("CREATE TABLE restarts(n INTEGER)"));
            rows.put(name, 0L);
        }
    }

    @AfterEach
    void leaveImplRunning() throws Exception {
        try {
            if (impl.getState() != Bundle.ACTIVE) {
                impl.start();
            }
        } finally {
            engines.close();
        }
    }

    @Test
    void brings_the_engines_back_after_every_restart_and_update_and_leaks_no_threads_or_files() throws Exception {
        restart(); // warm-up: the first cycle loads classes, starts pool and timer threads for good
        int threadsBefore = ProcessResources.liveThreads();
        int fdsBefore = ProcessResources.fileDescriptorsVisible() ? ProcessResources.openFileDescriptors() : 0;

        for (int cycle = 1; cycle < CYCLES; cycle++) {
            restart();
        }
        for (int update = 0; update < UPDATES; update++) {
            impl.update(Bundles.jar(impl));
            assertEnginesBack();
        }

        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(ProcessResources.liveThreads())
                .as("live threads (baseline %d): %s", threadsBefore, ProcessResources.threadNames(n -> true))
                .isLessThanOrEqualTo(threadsBefore + THREAD_TOLERANCE));
        if (ProcessResources.fileDescriptorsVisible()) {
            await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(ProcessResources.openFileDescriptors())
                    .as("open file descriptors (baseline %d): %s", fdsBefore, ProcessResources.openFiles())
                    .isLessThanOrEqualTo(fdsBefore + FD_TOLERANCE));
        }
    }

    @Test
    void leaves_no_engine_or_pool_thread_running_while_stopped() throws Exception {
        assertThat(ProcessResources.threadNames(ImplBundleLifecycleTest::engineThread)).isNotEmpty(); // the control

        impl.stop();

        for (String name : NAMES) {
            assertThat(engines.registered(name)).as("services of %s", name).isZero();
        }
        await().atMost(Engines.TIMEOUT).untilAsserted(() -> assertThat(
                ProcessResources.threadNames(ImplBundleLifecycleTest::engineThread)).isEmpty());
        impl.start();
        assertEnginesBack();
    }

    /** A thread of an engine (a retiring pool's closer) or of one of its HikariCP pools. */
    private static boolean engineThread(String name) {
        return name.startsWith("sqlite-engine-") || name.contains("housekeeper");
    }

    private void restart() throws Exception {
        impl.stop();
        await().atMost(Engines.TIMEOUT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(
                ProcessResources.threadNames(ImplBundleLifecycleTest::engineThread))
                .as("threads of the stopped engines").isEmpty());
        for (String name : NAMES) {
            assertThat(engines.registered(name)).as("services of %s while impl is stopped", name).isZero();
        }
        impl.start();
        assertEnginesBack();
    }

    /** Waits for both engines' services, checks their rows and adds one. */
    private void assertEnginesBack() {
        for (String name : NAMES) {
            for (Class<?> type : List.of(Engine.class, DataSource.class)) {
                awaitReference(type, name);
            }
            ServiceReference<ConnectionManager> reference = awaitReference(ConnectionManager.class, name);
            ConnectionManager manager = context.getService(reference);
            assertThat(manager).as("ConnectionManager of %s", name).isNotNull();
            try {
                assertThat(count(manager, "restarts")).as("rows of %s", name).isEqualTo(rows.get(name));
                manager.execute(c -> c.createStatement().executeUpdate("INSERT INTO restarts VALUES (1)"));
                rows.merge(name, 1L, Long::sum);
            } finally {
                context.ungetService(reference);
            }
        }
    }

    /** Like {@link Engines#reference}, polling often: this test waits for services 250 times. */
    private <T> ServiceReference<T> awaitReference(Class<T> type, String name) {
        String filter = Engines.filter(EngineProperties.ENGINE_NAME, name);
        return await().atMost(Engines.TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> context.getServiceReferences(type, filter).stream().findFirst().orElse(null),
                        reference -> reference != null);
    }
}
