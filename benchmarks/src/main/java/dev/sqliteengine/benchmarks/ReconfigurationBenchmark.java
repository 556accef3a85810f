package dev.sqliteengine.benchmarks;

import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.engine.SqliteEngine;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's part of a live reconfiguration: the time from calling
 * {@link SqliteEngine#reconfigure} until new work sees the new setting. Each JMH iteration is one
 * update (single shot), alternating between two values, so every call changes something.
 * <ul>
 * <li>{@code inPlace}: {@code osgi.connection.max} 8 ↔ 4, applied to the existing pools; done when
 * {@code status().pool("readers").max()} shows the new size.</li>
 * <li>{@code poolSwitch}: {@code pragma.cache_size} -64000 ↔ -32000, which builds a new pool
 * generation; done when a read unit's {@code PRAGMA cache_size} returns the new value.</li>
 * </ul>
 * The settings are parsed before the timed call. Not measured: Config Admin's asynchronous
 * delivery of a configuration to the component (one event thread), which comes on top of this.
 * With {@code loadThreads=0} the engine is idle apart from the benchmark thread; with 8, that
 * many threads run the mixed load meanwhile (80% point reads, 20% one-row write units, through
 * the default write queue), as the live update of issue "The write path under contention" is
 * measured; see {@code ThroughputDip} for the load's side of a switch.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, batchSize = 1)
@Measurement(iterations = 50, batchSize = 1)
@Threads(1)
@State(Scope.Benchmark)
public class ReconfigurationBenchmark {

    static final int MAX_A = 8;
    static final int MAX_B = 4;
    static final int CACHE_A = -64000;
    static final int CACHE_B = -32000;

    private Path dir;
    private SqliteEngine engine;
    private EngineSettings[] maxSettings;
    private EngineSettings[] cacheSettings;
    private int[] maxValues;
    private int[] cacheValues;
    private int turn;

    /** Threads running a mixed load on the engine while it is reconfigured. */
    @Param({"0", "8"})
    public int loadThreads;

    private final List<Thread> load = new ArrayList<>();
    private final AtomicBoolean loading = new AtomicBoolean();
    private final AtomicLong loadErrors = new AtomicLong();

    @Setup(Level.Trial)
    public void open() {
        dir = Databases.tempDir();
        Map<String, Object> properties = Databases.properties(dir, "reconf.db",
                Map.of("osgi.connection.max", MAX_A, "pragma.cache_size", CACHE_A));
        engine = Databases.openEngine(properties);
        Databases.fill(engine);
        // Index 0 is what the engine starts with; the first call goes to index 1.
        maxSettings = new EngineSettings[] {
            Databases.with(properties, "osgi.connection.max", MAX_A),
            Databases.with(properties, "osgi.connection.max", MAX_B)};
        maxValues = new int[] {MAX_A, MAX_B};
        cacheSettings = new EngineSettings[] {
            Databases.with(properties, "pragma.cache_size", CACHE_A),
            Databases.with(properties, "pragma.cache_size", CACHE_B)};
        cacheValues = new int[] {CACHE_A, CACHE_B};
        turn = 0;
        loading.set(true);
        for (int t = 0; t < loadThreads; t++) {
            Thread worker = new Thread(this::mixedLoad, "reconfiguration-load-" + t);
            worker.setDaemon(true);
            worker.start();
            load.add(worker);
        }
    }

    private void mixedLoad() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (loading.get()) {
            int id = 1 + random.nextInt(Databases.ROWS);
            try {
                if (random.nextInt(100) < 20) {
                    engine.connections().write(c -> Databases.update(c, id));
                } else {
                    engine.connections().read(c -> Databases.pointRead(c, id));
                }
            } catch (RuntimeException e) {
                loadErrors.incrementAndGet();
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        loading.set(false);
        for (Thread worker : load) {
            worker.join();
        }
        System.out.println("[reconfiguration] " + engine.status().reconfigurations() + " reconfigurations applied; "
                + loadThreads + " load threads, " + loadErrors.get() + " failed operations of the load");
        if (engine != null) {
            engine.close();
        }
        Databases.deleteTree(dir);
    }

    @Benchmark
    public int inPlace() {
        int next = ++turn & 1;
        if (!engine.reconfigure(maxSettings[next])) {
            throw new IllegalStateException("reconfigure changed nothing");
        }
        int max = engine.status().pool("readers").orElseThrow().max();
        if (max != maxValues[next]) {
            throw new IllegalStateException("readers max " + max + ", expected " + maxValues[next]);
        }
        return max;
    }

    @Benchmark
    public int poolSwitch() {
        int next = ++turn & 1;
        if (!engine.reconfigure(cacheSettings[next])) {
            throw new IllegalStateException("reconfigure changed nothing");
        }
        int cache = engine.connections().read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA cache_size")) {
                return r.next() ? r.getInt(1) : Integer.MIN_VALUE;
            }
        });
        if (cache != cacheValues[next]) {
            throw new IllegalStateException("PRAGMA cache_size " + cache + ", expected " + cacheValues[next]);
        }
        return cache;
    }
}
