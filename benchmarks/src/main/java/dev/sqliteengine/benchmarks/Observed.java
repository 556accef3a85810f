package dev.sqliteengine.benchmarks;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.micrometer.EngineMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * With {@code -Dsqliteengine.observed=true} (to a benchmark: {@code -jvmArgsAppend
 * -Dsqliteengine.observed=true}), every engine the benchmarks open is watched the way an operator
 * watches it: every {@value #EVERY_MILLIS} ms a thread reads what the Engines page's script asks
 * for (the history, and the health for the engine's own view) and scrapes a Prometheus registry
 * the engine's {@link EngineMeters} are bound to (Prometheus scrapes every 15 s by default; this is
 * more often). So the same benchmarks, run with and without it, show what watching costs the
 * engine's checkouts and units. The thread ends, and unbinds the meters, once the engine is closed.
 */
final class Observed {

    static final String PROPERTY = "sqliteengine.observed";
    static final long EVERY_MILLIS = 2_000;

    private Observed() {}

    /** @return the engine, watched when the system property asks for it */
    static Engine ifAsked(Engine engine) {
        if (Boolean.getBoolean(PROPERTY)) {
            Thread watcher = new Thread(() -> watch(engine), "observer-" + engine.name());
            watcher.setDaemon(true);
            watcher.start();
        }
        return engine;
    }

    private static void watch(Engine engine) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EngineMeters meters = new EngineMeters(engine)) {
            meters.bindTo(registry);
            while (engine.status().state() != EngineState.CLOSED) {
                if (engine.history().recent().size() < 0 || engine.health() == null || registry.scrape().isEmpty()) {
                    throw new IllegalStateException("[" + engine.name() + "] nothing to watch");
                }
                Thread.sleep(EVERY_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registry.close();
        }
    }
}
