package dev.sqliteengine.micrometer;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.LatencyFigures;
import dev.sqliteengine.api.PoolStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One engine's figures ({@link Engine#status()}) as Micrometer meters, every one tagged
 * {@value #ENGINE_TAG}{@code =<name>}. Meters read the engine when the registry publishes
 * (functions, not recordings), so binding costs the engine's units of work nothing; a status is
 * read at most once a second however many meters a publication reads.
 * <p>
 * The meters, in Micrometer's naming convention (dots; each registry renders them its way, as
 * Prometheus {@code sqlite_engine_commits_total} and {@code sqlite_engine_units_seconds_count}):
 * <ul>
 * <li>Counters (since the engine started): {@value #COMMITS}, {@value #ROLLBACKS},
 * {@value #ERRORS}, {@value #RECONFIGURATIONS}, {@value #RETRIES}, {@value #BUSY_WAITS},
 * {@value #TIMEOUTS}, {@value #STATEMENTS} (tag {@code result=reused|prepared}).</li>
 * <li>Timers (count and total time since the engine started): {@value #UNITS} (tag
 * {@code kind=read|write}), {@value #QUEUE_WAIT}, {@value #ACQUIRE} (a connection out of a
 * pool), {@value #USAGE} (a connection checked out). Each has time gauges over the last minute:
 * {@code <timer>.percentile} (tag {@code phi=0.5|0.99}) and {@code <timer>.max}, as Micrometer
 * names a timer's published percentiles and maximum.</li>
 * <li>Gauges: {@value #QUEUE_WAITING} (threads waiting for the writer); {@value #ACTIVE},
 * {@value #IDLE}, {@value #PENDING} and {@value #MAX} (connections, tag
 * {@code pool=writer|readers|dataSource}); {@value #WAL_SIZE} (bytes; not for an in-memory
 * database).</li>
 * </ul>
 * <p>
 * Use: {@code new EngineMeters(engine).bindTo(registry)}, to as many registries as you like;
 * {@link #close()} removes the meters from all of them, and belongs next to closing the engine.
 * In OSGi the bundle does this for every {@code Engine} and {@code MeterRegistry} service.
 * Thread safe.
 */
@ProviderType
public final class EngineMeters implements MeterBinder, AutoCloseable {

    /** The tag that names the engine, on every meter. */
    public static final String ENGINE_TAG = "engine";
    /** Counter: write transactions committed. */
    public static final String COMMITS = "sqlite.engine.commits";
    /** Counter: write transactions rolled back. */
    public static final String ROLLBACKS = "sqlite.engine.rollbacks";
    /** Counter: failed units of work and connections. */
    public static final String ERRORS = "sqlite.engine.errors";
    /** Counter: configuration changes applied. */
    public static final String RECONFIGURATIONS = "sqlite.engine.reconfigurations";
    /** Counter: write units run again after SQLITE_BUSY or SQLITE_LOCKED. */
    public static final String RETRIES = "sqlite.engine.retries";
    /** Counter: SQLITE_BUSY and SQLITE_LOCKED reported by SQLite. */
    public static final String BUSY_WAITS = "sqlite.engine.busy.waits";
    /** Counter: waits that ran out of time (writer queue, checkouts, write deadlines). */
    public static final String TIMEOUTS = "sqlite.engine.timeouts";
    /** Counter: {@code prepareStatement} calls, tag {@code result=reused|prepared}. */
    public static final String STATEMENTS = "sqlite.engine.statements";
    /** Timer: read and write units, tag {@code kind=read|write}. */
    public static final String UNITS = "sqlite.engine.units";
    /** Timer: the writers' wait for their turn. */
    public static final String QUEUE_WAIT = "sqlite.engine.writer.queue.wait";
    /** Timer: how long a connection took to come out of a pool. */
    public static final String ACQUIRE = "sqlite.engine.connections.acquire";
    /** Timer: how long connections stayed checked out. */
    public static final String USAGE = "sqlite.engine.connections.usage";
    /** Gauge: threads waiting for the writer now. */
    public static final String QUEUE_WAITING = "sqlite.engine.writer.queue.waiting";
    /** Gauge: connections checked out, tag {@code pool}. */
    public static final String ACTIVE = "sqlite.engine.connections.active";
    /** Gauge: idle connections, tag {@code pool}. */
    public static final String IDLE = "sqlite.engine.connections.idle";
    /** Gauge: threads waiting for a connection, tag {@code pool}. */
    public static final String PENDING = "sqlite.engine.connections.pending";
    /** Gauge: the pool's maximum size, tag {@code pool}. */
    public static final String MAX = "sqlite.engine.connections.max";
    /** Gauge: the {@code -wal} file's size in bytes. */
    public static final String WAL_SIZE = "sqlite.engine.wal.size";

    /** The pools every engine has, in {@link EngineStatus#pools()}. */
    private static final List<String> POOLS = List.of("writer", "readers", "dataSource");

    private final Engine engine;
    private final String name;
    private final RecentStatus status;
    /** The meters registered, by registry; guarded by this. */
    private final Map<MeterRegistry, List<Meter>> bound = new LinkedHashMap<>();

    /** @param engine the engine whose figures the meters show; it is read, never changed */
    public EngineMeters(Engine engine) {
        this.engine = engine;
        this.name = engine.name();
        this.status = new RecentStatus(engine);
    }

    /** @return the engine's name, the value of every meter's {@value #ENGINE_TAG} tag */
    public String engine() {
        return name;
    }

    /**
     * Registers the engine's meters in {@code registry}. Binding to a registry this is bound to
     * already does nothing.
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (bound.containsKey(registry)) {
            return;
        }
        List<Meter> meters = new ArrayList<>(48);
        Tags tags = Tags.of(ENGINE_TAG, name);
        counter(registry, meters, COMMITS, tags, "write transactions committed", EngineStatus::commits);
        counter(registry, meters, ROLLBACKS, tags, "write transactions rolled back", EngineStatus::rollbacks);
        counter(registry, meters, ERRORS, tags, "failed units of work and connections", EngineStatus::errors);
        counter(registry, meters, RECONFIGURATIONS, tags, "configuration changes applied", EngineStatus::reconfigurations);
        counter(registry, meters, RETRIES, tags, "write units run again after SQLITE_BUSY or SQLITE_LOCKED", EngineStatus::retries);
        counter(registry, meters, BUSY_WAITS, tags, "SQLITE_BUSY and SQLITE_LOCKED reported by SQLite", EngineStatus::busyWaits);
        counter(registry, meters, TIMEOUTS, tags, "waits that ran out of time", EngineStatus::timeouts);
        counter(registry, meters, STATEMENTS, tags.and("result", "reused"), "prepared statements reused from the cache",
                s -> s.statementCache().reused());
        counter(registry, meters, STATEMENTS, tags.and("result", "prepared"), "prepared statements prepared anew",
                s -> s.statementCache().prepared());

        timer(registry, meters, UNITS, tags.and("kind", "read"), "read units, from the call to their end", EngineStatus::readUnits);
        timer(registry, meters, UNITS, tags.and("kind", "write"), "write units, from the call to their end, queue and retries included",
                EngineStatus::writeUnits);
        timer(registry, meters, QUEUE_WAIT, tags, "the writers' wait for their turn", s -> s.writerQueue().waitTime());
        timer(registry, meters, ACQUIRE, tags, "a connection's way out of a pool", EngineStatus::checkoutWait);
        timer(registry, meters, USAGE, tags, "how long connections stayed checked out", EngineStatus::connectionUsage);

        gauge(registry, meters, QUEUE_WAITING, tags, "threads", "threads waiting for the writer", s -> s.writerQueue().waiting());
        for (String pool : POOLS) {
            Tags pooled = tags.and("pool", pool);
            gauge(registry, meters, ACTIVE, pooled, "connections", "connections checked out", pool(pool, PoolStatus::active));
            gauge(registry, meters, IDLE, pooled, "connections", "idle connections", pool(pool, PoolStatus::idle));
            gauge(registry, meters, PENDING, pooled, "threads", "threads waiting for a connection", pool(pool, PoolStatus::waiting));
            gauge(registry, meters, MAX, pooled, "connections", "the pool's maximum size", pool(pool, PoolStatus::max));
        }
        if (!EngineProperties.MEMORY_PATH.equals(engine.status().path())) {
            gauge(registry, meters, WAL_SIZE, tags, "bytes", "the -wal file's size", s -> s.wal().sizeBytes());
        }
        bound.put(registry, meters);
    }

    private ToDoubleFunction<EngineStatus> pool(String pool, ToLongFunction<PoolStatus> figure) {
        return s -> s.pool(pool).map(figure::applyAsLong).orElse(0L);
    }

    private void counter(MeterRegistry registry, List<Meter> meters, String meter, Tags tags, String description,
            ToDoubleFunction<EngineStatus> value) {
        meters.add(FunctionCounter.builder(meter, status, r -> value.applyAsDouble(r.get())).tags(tags)
                .description(description).register(registry));
    }

    private void gauge(MeterRegistry registry, List<Meter> meters, String meter, Tags tags, String unit, String description,
            ToDoubleFunction<EngineStatus> value) {
        meters.add(Gauge.builder(meter, status, r -> value.applyAsDouble(r.get())).tags(tags).baseUnit(unit)
                .description(description).strongReference(true).register(registry));
    }

    /** A timer from the figure's count and total, and its minute's percentiles and maximum as time gauges. */
    private void timer(MeterRegistry registry, List<Meter> meters, String meter, Tags tags, String description,
            Function<EngineStatus, LatencyFigures> figure) {
        meters.add(FunctionTimer.builder(meter, status, r -> figure.apply(r.get()).count(),
                r -> figure.apply(r.get()).totalNanos(), TimeUnit.NANOSECONDS).tags(tags).description(description)
                .register(registry));
        timeGauge(registry, meters, meter + ".percentile", tags.and("phi", "0.5"), description + ": median over the last minute",
                r -> figure.apply(r.get()).p50Nanos());
        timeGauge(registry, meters, meter + ".percentile", tags.and("phi", "0.99"), description + ": 99th percentile over the last minute",
                r -> figure.apply(r.get()).p99Nanos());
        timeGauge(registry, meters, meter + ".max", tags, description + ": longest over the last minute",
                r -> figure.apply(r.get()).maxNanos());
    }

    private void timeGauge(MeterRegistry registry, List<Meter> meters, String meter, Tags tags, String description,
            ToDoubleFunction<RecentStatus> nanos) {
        meters.add(TimeGauge.builder(meter, status, TimeUnit.NANOSECONDS, nanos).tags(tags).description(description)
                .strongReference(true).register(registry));
    }

    /**
     * Removes the meters from one registry, for a registry that goes away while the engine stays.
     *
     * @return whether they were there
     */
    public synchronized boolean removeFrom(MeterRegistry registry) {
        List<Meter> meters = bound.remove(registry);
        if (meters == null) {
            return false;
        }
        meters.forEach(registry::remove);
        return true;
    }

    /** @return the registries the meters are bound to now */
    public synchronized List<MeterRegistry> registries() {
        return List.copyOf(bound.keySet());
    }

    /** Removes the meters from every registry they were bound to. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        for (MeterRegistry registry : List.copyOf(bound.keySet())) {
            removeFrom(registry);
        }
    }

    @Override
    public String toString() {
        return "EngineMeters[" + name + "]";
    }
}
