package dev.sqliteengine.impl.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sqliteengine.api.LatencyFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A latency figure shows percentiles over about the last minute and totals since the start. The
 * clock is passed in, so these tests move time without waiting for it.
 */
class SlidingLatencyTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_000 * SECOND;

    @Test
    void percentilesAndMaxOfTheWindowTotalsSinceTheStart() {
        SlidingLatency latency = new SlidingLatency(START);
        for (int i = 1; i <= 100; i++) {
            latency.record(i * 1_000_000L, START + i); // 1 ms .. 100 ms
        }
        LatencyFigures f = latency.figures(START + SECOND);
        assertThat(f.windowCount()).isEqualTo(100);
        assertThat(f.count()).isEqualTo(100);
        assertThat(f.totalNanos()).isEqualTo(5050 * 1_000_000L);
        assertThat((double) f.p50Nanos()).isCloseTo(50e6, within(0.5e6)); // 1% precision
        assertThat((double) f.p99Nanos()).isCloseTo(99e6, within(1e6));
        assertThat((double) f.maxNanos()).isCloseTo(100e6, within(1e6));
    }

    @Test
    void valuesLeaveTheWindowAfterAboutAMinuteButStayInTheTotals() {
        SlidingLatency latency = new SlidingLatency(START);
        latency.record(5_000_000L, START + SECOND);
        for (int s = 5; s <= 55; s += 5) {
            latency.figures(START + s * SECOND); // a reader every five seconds rotates the slots
        }
        assertThat(latency.figures(START + 55 * SECOND).windowCount()).as("within the minute").isEqualTo(1);
        LatencyFigures later = latency.figures(START + 75 * SECOND);
        assertThat(later.windowCount()).as("older than the window").isZero();
        assertThat(later.p99Nanos()).isZero();
        assertThat(later.maxNanos()).isZero();
        assertThat(later.count()).isEqualTo(1);
        assertThat(later.totalNanos()).isEqualTo(5_000_000L);
    }

    @Test
    void anIdleGapDoesNotMakeOldValuesLookFresh() {
        SlidingLatency latency = new SlidingLatency(START);
        latency.record(7_000_000L, START + SECOND);
        // nothing recorded or read for ten minutes; then one new value
        latency.record(3_000_000L, START + 600 * SECOND);
        LatencyFigures f = latency.figures(START + 601 * SECOND);
        assertThat(f.windowCount()).isEqualTo(1);
        assertThat((double) f.maxNanos()).isCloseTo(3e6, within(0.05e6));
        assertThat(f.count()).isEqualTo(2);
    }

    @Test
    void valuesRecordedWithoutTheTimeStayUntilAMinuteAfterTheNextReading() {
        SlidingLatency latency = new SlidingLatency(START);
        latency.record(2_000_000L); // as HikariCP's tracker records: no clock read
        // no reading for ten minutes: the value shows at the next reading, and a minute on
        assertThat(latency.figures(START + 600 * SECOND).windowCount()).isEqualTo(1);
        assertThat(latency.figures(START + 655 * SECOND).windowCount()).isEqualTo(1);
        assertThat(latency.figures(START + 661 * SECOND).windowCount()).isZero();
        assertThat(latency.figures(START + 661 * SECOND).count()).isEqualTo(1);
    }

    @Test
    void aSampledValueCountsForTheOnesItStandsFor() {
        SlidingLatency latency = new SlidingLatency(START);
        latency.record(1_000L, START + 1, 16);
        LatencyFigures f = latency.figures(START + 2);
        assertThat(f.windowCount()).isEqualTo(16);
        assertThat(f.count()).isEqualTo(16);
        assertThat(f.totalNanos()).isEqualTo(16_000L);
    }

    @Test
    void readsInBetweenLoseNothing() {
        SlidingLatency latency = new SlidingLatency(START);
        for (int i = 0; i < 1000; i++) {
            latency.record(1_000L, START + i * 10_000_000L); // over 10 s
            if (i % 7 == 0) {
                latency.figures(START + i * 10_000_000L);
            }
        }
        assertThat(latency.figures(START + 10 * SECOND).windowCount()).isEqualTo(1000);
    }

    @Test
    void manyThreadsRecordingWhileOthersReadCountEveryValue() throws Exception {
        SlidingLatency latency = new SlidingLatency();
        int threads = 8;
        int each = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        latency.recordSince(System.nanoTime() - 1_000);
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                go.await();
                while (done.stream().anyMatch(f -> !f.isDone())) {
                    assertThat(latency.figures().windowCount()).isLessThanOrEqualTo((long) threads * each);
                }
                return null;
            });
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            reader.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        LatencyFigures f = latency.figures();
        assertThat(f.count()).isEqualTo((long) threads * each);
        assertThat(f.windowCount()).isEqualTo((long) threads * each);
        assertThat(f.p50Nanos()).isGreaterThanOrEqualTo(1_000L);
    }
}
