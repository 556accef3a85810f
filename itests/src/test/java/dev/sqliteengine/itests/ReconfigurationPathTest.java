package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.itests.support.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A live update through Config Admin while eight threads run units of work: every update is
 * applied, in order, and the work loses nothing. On the way it records where each update's time
 * goes, from {@code Configuration.update} on: until it returns (Config Admin stores the
 * configuration), until Config Admin tells its listeners (its event
 * thread: the same dispatch that delivers the update to SCR), and until the engine announces the
 * new settings ({@code RECONFIGURED}, at the end of the engine's own reconfiguration, on SCR's
 * call of the component's {@code @Modified}). The figures are printed for BENCHMARKS.md, never
 * asserted (issue "The write path under contention").
 */
class ReconfigurationPathTest {

    private static final int WORKERS = 8;
    private static final int UPDATES = 40;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @TempDir
    Path dir;

    Engines engines;

    @AfterEach
    void close() throws Exception {
        engines.close();
    }

    @Test
    void every_update_under_load_is_applied_in_order_and_the_load_loses_nothing() throws Exception {
        engines = new Engines(context, admin);
        Configuration configuration = engines.configure("timed", EngineProperties.PATH, dir.resolve("timed.db").toString(),
                EngineProperties.CONNECTION_MAX, 8);
        Engine engine = engines.service(Engine.class, "timed");
        ConnectionManager manager = engines.service(ConnectionManager.class, "timed");
        BlockingQueue<Long> dispatched = new LinkedBlockingQueue<>();
        BlockingQueue<Long> applied = new LinkedBlockingQueue<>();
        String pid = configuration.getPid();
        ServiceRegistration<ConfigurationListener> cmListener = context.registerService(ConfigurationListener.class,
                event -> {
                    if (event.getType() == ConfigurationEvent.CM_UPDATED && pid.equals(event.getPid())) {
                        dispatched.add(System.nanoTime());
                    }
                }, null);
        EngineListener engineListener = new EngineListener() {
            @Override
            public void reconfigured(EngineEvent event) {
                applied.add(System.nanoTime());
            }
        };
        engine.addListener(engineListener);
        Workload.createTable(manager);
        List<Long> toReturn = new ArrayList<>();
        List<Long> toDispatch = new ArrayList<>();
        List<Long> switchApplied = new ArrayList<>();
        List<Long> inPlaceApplied = new ArrayList<>();
        try (Workload load = Workload.steady(manager, WORKERS).start()) {
            load.awaitProgress(WORKERS);
            dispatched.clear(); // the event of the configuration's creation, if it came late
            for (int i = 0; i < UPDATES; i++) {
                // Even: a pool switch (a pragma); odd: in place (a pool size).
                Object[] change = i % 2 == 0
                        ? new Object[] {"pragma.cache_size", i % 4 == 0 ? -32000 : -64000}
                        : new Object[] {EngineProperties.CONNECTION_MAX, i % 4 == 1 ? 6 : 8};
                long start = System.nanoTime();
                engines.update(configuration, change);
                toReturn.add(System.nanoTime() - start);
                Long seen = dispatched.poll(Engines.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Long done = applied.poll(Engines.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(done).as("update #%d applied", i).isNotNull();
                assertThat(engine.status().settings().get(String.valueOf(change[0])))
                        .as("update #%d in effect", i).hasToString(String.valueOf(change[1]));
                (i % 2 == 0 ? switchApplied : inPlaceApplied).add(done - start);
                if (seen != null) {
                    toDispatch.add(seen - start);
                }
                load.awaitProgress(WORKERS);
            }
            load.stop(Engines.TIMEOUT);
            assertThat(load.failures()).withFailMessage(() -> Workload.describe(load.failures())).isEmpty();
            assertThat(Workload.rows(manager)).containsAll(load.acknowledged());
        } finally {
            engine.removeListener(engineListener);
            cmListener.unregister();
        }
        assertThat(engine.status().reconfigurations()).isEqualTo(UPDATES);
        System.out.println("[reconfiguration path, " + WORKERS + " threads of load, " + UPDATES + " updates] "
                + "update() returns: " + percentiles(toReturn) + "; update() to Config Admin's listeners: "
                + percentiles(toDispatch) + "; update() to RECONFIGURED, in place: " + percentiles(inPlaceApplied)
                + "; update() to RECONFIGURED, pool switch: " + percentiles(switchApplied));
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", at(sorted, 0.50), at(sorted, 0.99),
                at(sorted, 1.0), sorted.size());
    }

    private static double at(List<Long> sorted, double q) {
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
