package dev.sqliteengine.benchmarks;

import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.engine.SqliteEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The throughput dip while the engine switches to a new pool generation under load. Not JMH and
 * not a test: run it by hand,
 * {@code java -cp benchmarks/target/benchmarks.jar dev.sqliteengine.benchmarks.ThroughputDip}.
 * <p>
 * Eight threads run the mixed load of {@code MixedLoadBenchmark} (80% point reads, 20% one-row
 * write units, half inserts and half updates) against an engine with {@code osgi.connection.max=8}.
 * After {@value #WARMUP_MS} ms of warm-up the run lasts {@value #RUN_MS} ms; completed operations
 * are counted per {@value #BUCKET_MS} ms bucket. Every {@value #SWITCH_EVERY_MS} ms (from
 * {@value #SWITCH_EVERY_MS} ms into the run) the main thread alternates {@code pragma.cache_size}
 * between -64000 and -32000, a change that builds a new pool generation. The run always takes
 * the same time.
 * <p>
 * As a control, the same minimum is taken over the {@value #WINDOW_MS} ms window that starts
 * {@value #QUIET_AFTER_MS} ms after each switch, where no switch happens.
 * <p>
 * Printed: the steady throughput (median ops per bucket over the buckets at least
 * {@value #QUIET_AFTER_MS} ms after the last switch), per switch the duration of
 * {@code reconfigure}, the minimum bucket in the {@value #WINDOW_MS} ms after it and the dip
 * against the steady median, and the number of failed operations.
 */
public final class ThroughputDip {

    static final int THREADS = 8;
    static final int WRITE_PERCENT = 20;
    static final long WARMUP_MS = 3_000;
    static final long RUN_MS = 20_000;
    static final long BUCKET_MS = 100;
    static final long SWITCH_EVERY_MS = 2_000;
    static final long WINDOW_MS = 500;
    static final long QUIET_AFTER_MS = 1_000;

    private ThroughputDip() {}

    public static void main(String[] args) throws Exception {
        Path dir = Databases.tempDir();
        Map<String, Object> properties = Databases.properties(dir, "dip.db",
                Map.of("osgi.connection.max", 8, "pragma.cache_size", -64000));
        SqliteEngine engine = Databases.openEngine(properties);
        try {
            Databases.fill(engine);
            EngineSettings[] settings = {
                Databases.with(properties, "pragma.cache_size", -64000),
                Databases.with(properties, "pragma.cache_size", -32000)};
            run(engine, settings);
        } finally {
            engine.close();
            Databases.deleteTree(dir);
        }
    }

    private static void run(SqliteEngine engine, EngineSettings[] settings) throws InterruptedException {
        int buckets = (int) (RUN_MS / BUCKET_MS);
        AtomicLongArray counts = new AtomicLongArray(buckets);
        AtomicLong errors = new AtomicLong();
        AtomicLong warmupOps = new AtomicLong();
        AtomicLong nextId = new AtomicLong(Databases.ROWS + 1L);
        long t0 = System.nanoTime();
        long start = t0 + WARMUP_MS * 1_000_000L;
        long end = start + RUN_MS * 1_000_000L;

        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    try {
                        if (random.nextInt(100) < WRITE_PERCENT) {
                            if (random.nextBoolean()) {
                                long id = nextId.getAndIncrement();
                                engine.connections().write(c -> Databases.insert(c, id));
                            } else {
                                int id = 1 + random.nextInt(Databases.ROWS);
                                engine.connections().write(c -> Databases.update(c, id));
                            }
                        } else {
                            int id = 1 + random.nextInt(Databases.ROWS);
                            engine.connections().read(c -> Databases.pointRead(c, id));
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        ErrorLog.note(e);
                    }
                    long now = System.nanoTime();
                    if (now >= end) {
                        return;
                    }
                    if (now < start) {
                        warmupOps.incrementAndGet();
                    } else {
                        counts.incrementAndGet((int) ((now - start) / (BUCKET_MS * 1_000_000L)));
                    }
                }
            }, "dip-worker-" + i);
            workers.add(t);
            t.start();
        }

        List<Long> switchAtMs = new ArrayList<>();
        List<Long> switchMicros = new ArrayList<>();
        int turn = 0;
        for (long at = SWITCH_EVERY_MS; at < RUN_MS; at += SWITCH_EVERY_MS) {
            sleepUntil(start + at * 1_000_000L);
            long before = System.nanoTime();
            engine.reconfigure(settings[++turn & 1]);
            long after = System.nanoTime();
            switchAtMs.add((before - start) / 1_000_000L);
            switchMicros.add((after - before) / 1_000L);
        }
        for (Thread t : workers) {
            t.join();
        }

        long[] c = new long[buckets];
        for (int i = 0; i < buckets; i++) {
            c[i] = counts.get(i);
        }
        // Steady: buckets that start at least QUIET_AFTER_MS after the most recent switch (or the start).
        List<Long> steadyList = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            long bucketStart = i * BUCKET_MS;
            long lastSwitch = -QUIET_AFTER_MS;
            for (long s : switchAtMs) {
                if (s <= bucketStart + BUCKET_MS) {
                    lastSwitch = Math.max(lastSwitch, s);
                }
            }
            if (bucketStart >= lastSwitch + QUIET_AFTER_MS) {
                steadyList.add(c[i]);
            }
        }
        long[] steady = steadyList.stream().mapToLong(Long::longValue).sorted().toArray();
        double median = steady.length % 2 == 1 ? steady[steady.length / 2]
                : (steady[steady.length / 2 - 1] + steady[steady.length / 2]) / 2.0;

        System.out.printf("threads=%d, writes=%d%%, warm-up %d ms (%d ops), run %d ms, buckets of %d ms, switch every %d ms%n",
                THREADS, WRITE_PERCENT, WARMUP_MS, warmupOps.get(), RUN_MS, BUCKET_MS, SWITCH_EVERY_MS);
        System.out.printf("total ops in run: %d (%.1f ops/ms)%n", Arrays.stream(c).sum(), Arrays.stream(c).sum() / (double) RUN_MS);
        System.out.printf("steady: median %.1f ops per %d ms bucket over %d buckets (min %d, max %d)%n",
                median, BUCKET_MS, steady.length, steady[0], steady[steady.length - 1]);
        System.out.println("buckets: " + Arrays.toString(c));
        double worstDip = 0;
        double sumDip = 0;
        for (int k = 0; k < switchAtMs.size(); k++) {
            long s = switchAtMs.get(k);
            int from = (int) (s / BUCKET_MS);
            int to = (int) Math.min(buckets, (s + WINDOW_MS) / BUCKET_MS); // exclusive
            long min = Long.MAX_VALUE;
            long sum = 0;
            for (int i = from; i < to; i++) {
                min = Math.min(min, c[i]);
                sum += c[i];
            }
            double dip = 100.0 * (1.0 - min / median);
            worstDip = Math.max(worstDip, dip);
            sumDip += dip;
            System.out.printf("switch %d at %5d ms: reconfigure %7.1f ms; next %d ms: min bucket %d, mean %.1f, dip %.1f%%%n",
                    k + 1, s, switchMicros.get(k) / 1000.0, WINDOW_MS, min, sum / (double) (to - from), dip);
        }
        // Control: the same statistic over windows of the same length that start QUIET_AFTER_MS
        // after each switch (no switch in them), to show how much the buckets vary without one.
        double sumControl = 0;
        double worstControl = 0;
        StringBuilder controls = new StringBuilder();
        for (long s : switchAtMs) {
            int from = (int) ((s + QUIET_AFTER_MS) / BUCKET_MS);
            int to = (int) Math.min(buckets, (s + QUIET_AFTER_MS + WINDOW_MS) / BUCKET_MS);
            long min = Long.MAX_VALUE;
            for (int i = from; i < to; i++) {
                min = Math.min(min, c[i]);
            }
            double dip = 100.0 * (1.0 - min / median);
            sumControl += dip;
            worstControl = Math.max(worstControl, dip);
            controls.append(controls.length() == 0 ? "" : ", ").append(String.format("%.1f%%", dip));
        }
        System.out.printf("control (min of the %d ms window starting %d ms after each switch): %s; mean %.1f%%, worst %.1f%%%n",
                WINDOW_MS, QUIET_AFTER_MS, controls, sumControl / switchAtMs.size(), worstControl);
        long[] sw = switchMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("reconfigure under load: median %.1f ms, max %.1f ms (%d switches)%n",
                sw[sw.length / 2] / 1000.0, sw[sw.length - 1] / 1000.0, sw.length);
        System.out.printf("dip: mean %.1f%%, worst %.1f%%%n", sumDip / switchAtMs.size(), worstDip);
        System.out.println("errors: " + errors.get() + " (during warm-up and run)");
        ErrorLog.printAndClear("dip");
        System.out.println("reconfigurations applied: " + engine.status().reconfigurations());
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000L), 0);
        }
    }
}
