package dev.sqliteengine.benchmarks;

import dev.sqliteengine.api.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@link WriteContentionBenchmark}'s two figures, the throughput of 8 threads of one-row write
 * units against one thread on one plain connection, and the write p99, measured so that a shared,
 * noisy machine disturbs the comparison less. Not JMH and not a test: run it by hand,
 * {@code java -cp benchmarks/target/benchmarks.jar dev.sqliteengine.benchmarks.WriteRatio [rounds] [engine ...]}
 * where each engine is {@code label:key=value,key=value} (engine properties), for example
 * {@code fifo:write.queue=fifo,write.groupCommit=1 grouped:write.queue=fifo,write.groupCommit=8}.
 * <p>
 * JMH runs each configuration in its own fork, a minute or more apart, and on two cores shared
 * with other work the load moves in between by more than the differences sought. Here one JVM
 * holds them all: each round runs {@value #WINDOW_MS} ms of the plain connection (one thread),
 * then {@value #WINDOW_MS} ms of each engine (eight threads), in an order that changes every
 * round; each round gives each engine a ratio to the plain connection, and the median over the
 * rounds is printed with the quartiles. The write times (call to return) of all measured rounds
 * give each engine's p50 / p99 / p99.9, as {@link WriteTimes} does.
 */
public final class WriteRatio {

    static final long WINDOW_MS = 400;
    static final int THREADS = 8;
    static final int WARMUP_ROUNDS = 4;
    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 100_000;

    private WriteRatio() {}

    /** One configuration under test: 1 or 8 threads running one kind of write. */
    private interface Subject {
        void write() throws Exception;
    }

    private record Measured(String label, Subject subject, int threads, AtomicLongArray times) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Map<String, Map<String, Object>> engines = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] labelled = args[i].split(":", 2);
            Map<String, Object> properties = new HashMap<>();
            for (String pair : labelled[1].split(",")) {
                String[] kv = pair.split("=", 2);
                properties.put(kv[0], kv[1]);
            }
            engines.put(labelled[0], properties);
        }
        if (engines.isEmpty()) {
            engines.put("fifo", Map.of("write.queue", "fifo", "write.groupCommit", "1"));
            engines.put("default", Map.of());
        }
        Path dir = Databases.tempDir();
        List<Engine> opened = new ArrayList<>();
        Connection plain = null;
        try {
            plain = Databases.driver(dir.resolve("plain.db"), Databases.tunedConfig()).getConnection();
            Databases.fill(plain);
            Connection c = plain;
            List<Measured> subjects = new ArrayList<>();
            subjects.add(new Measured("plain connection, 1 thread", () -> plainWrite(c), 1, new AtomicLongArray(BUCKETS)));
            int n = 0;
            for (Map.Entry<String, Map<String, Object>> e : engines.entrySet()) {
                Map<String, Object> properties = new HashMap<>(e.getValue());
                properties.put("osgi.connection.max", 8);
                Engine engine = Databases.engine(dir, "engine-" + (n++) + ".db", properties);
                opened.add(engine);
                Databases.fill(engine);
                subjects.add(new Measured(e.getKey() + ", " + THREADS + " threads",
                        () -> engine.connections().write(Databases::insertAutoId), THREADS, new AtomicLongArray(BUCKETS)));
            }
            double[][] rates = new double[subjects.size()][rounds];
            for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
                for (int k = 0; k < subjects.size(); k++) {
                    int s = (k + Math.max(r, 0)) % subjects.size();
                    double rate = window(subjects.get(s), r >= 0);
                    if (r >= 0) {
                        rates[s][r] = rate;
                    }
                }
            }
            System.out.printf("%d rounds of %d ms per subject; ops/ms median (quartiles); write times p50 / p99 / p99.9:%n",
                    rounds, WINDOW_MS);
            for (int s = 0; s < subjects.size(); s++) {
                Measured m = subjects.get(s);
                String ratio = "";
                if (s > 0) {
                    double[] q = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        q[r] = rates[s][r] / rates[0][r];
                    }
                    ratio = ", ratio to the plain connection " + quartiles(q);
                }
                System.out.printf("  %-40s %s%s; %s%n", m.label(), quartiles(rates[s].clone()), ratio, percentiles(m.times()));
            }
        } finally {
            for (Engine e : opened) {
                e.close();
            }
            if (plain != null) {
                plain.close();
            }
            Databases.deleteTree(dir);
        }
    }

    private static void plainWrite(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        Databases.insertAutoId(c);
        try (Statement s = c.createStatement()) {
            s.execute("COMMIT");
        }
    }

    /** @return writes per millisecond over one window of the subject's threads */
    private static double window(Measured m, boolean record) throws Exception {
        AtomicLong done = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(m.threads() + 1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < m.threads(); t++) {
            Thread thread = new Thread(() -> {
                long count = 0;
                try {
                    start.await();
                    long end = window[1];
                    while (true) {
                        long began = System.nanoTime();
                        if (began >= end) {
                            break;
                        }
                        m.subject().write();
                        long took = System.nanoTime() - began;
                        if (record) {
                            m.times().incrementAndGet((int) Math.min(took / BUCKET_NANOS, BUCKETS - 1));
                        }
                        count++;
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
                done.addAndGet(count);
            });
            threads.add(thread);
            thread.start();
        }
        window[0] = System.nanoTime();
        window[1] = window[0] + WINDOW_MS * 1_000_000L;
        start.await();
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException(m.label() + " failed", failure[0]);
        }
        return done.get() / ((System.nanoTime() - window[0]) / 1e6);
    }

    private static String percentiles(AtomicLongArray times) {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += times.get(i);
        }
        return String.format("%.2f / %.2f / %.2f ms", quantile(times, n, 0.5), quantile(times, n, 0.99),
                quantile(times, n, 0.999));
    }

    private static double quantile(AtomicLongArray times, long n, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += times.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return BUCKETS * BUCKET_NANOS / 1e6;
    }

    private static String quartiles(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return String.format("%.2f (%.2f–%.2f)", values[n / 2], values[n / 4], values[3 * n / 4]);
    }
}
