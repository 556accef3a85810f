package dev.sqliteengine.benchmarks;

import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * How long each write took from the call to its return (queueing included), over the
 * measurement iterations of a trial (not the warm-up), printed as p50 / p99 / p99.9 / max when
 * the trial ends: JMH's throughput modes report no percentiles, and the writer queue's point is
 * its tail. A histogram of 10 µs buckets up to 2 s (longer times count as 2 s), shared by the
 * benchmark's threads; recording costs two {@code System.nanoTime()} calls and one atomic add.
 */
@State(Scope.Benchmark)
public class WriteTimes {

    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 200_000;

    private final AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
    private volatile boolean measuring;

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    /** @return a start time for {@link #record} */
    long start() {
        return System.nanoTime();
    }

    /** Records one write that started at {@code start}. */
    void record(long start) {
        if (measuring) {
            long bucket = (System.nanoTime() - start) / BUCKET_NANOS;
            histogram.incrementAndGet((int) Math.min(bucket, BUCKETS - 1));
        }
    }

    @TearDown(Level.Trial)
    public void print(BenchmarkParams params) {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += histogram.get(i);
        }
        String benchmark = params.getBenchmark();
        String trial = benchmark.substring(benchmark.lastIndexOf('.') + 1) + " " + params.getParamsKeys().stream()
                .map(k -> k + "=" + params.getParam(k)).reduce((a, b) -> a + "," + b).orElse("");
        if (n == 0) {
            System.out.println("[" + trial + "] write times: none recorded");
            return;
        }
        System.out.printf("[%s] write times over %d writes: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                trial, n, millis(quantile(n, 0.50)), millis(quantile(n, 0.99)), millis(quantile(n, 0.999)),
                millis(quantile(n, 1.0)));
    }

    /** @return the upper end of the bucket that holds the q-quantile, in nanoseconds */
    private long quantile(long n, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += histogram.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS;
            }
        }
        return BUCKETS * BUCKET_NANOS;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
