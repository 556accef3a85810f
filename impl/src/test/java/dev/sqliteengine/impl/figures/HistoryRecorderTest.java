package dev.sqliteengine.impl.figures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineHistory;
import dev.sqliteengine.api.EngineSample;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.LatencyFigures;
import dev.sqliteengine.api.PoolSample;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.api.StatementCacheFigures;
import dev.sqliteengine.api.WalFigures;
import dev.sqliteengine.api.WriterQueueFigures;
import dev.sqliteengine.impl.operations.HealthMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history's samples, fed with statuses at times the test chooses (the health sampler's ticks),
 * so each sample's counts, peaks and latencies can be checked exactly.
 */
class HistoryRecorderTest {

    private static final long TICK = HealthMonitor.TICK_MILLIS * 1_000_000L;
    private static final long MS = 1_000_000L;
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    private final SlidingLatency reads = new SlidingLatency(0);
    private final SlidingLatency writes = new SlidingLatency(0);
    private final SlidingLatency queue = new SlidingLatency(0);
    private final HistoryRecorder recorder = new HistoryRecorder("main", reads, writes, queue,
            () -> ":memory:".equals(this.path) ? null : Path.of(this.path + "-wal"), 0);

    private long commits;
    private long errors;
    private int activeReaders;
    private int writersWaiting;
    private CheckpointFigures checkpoint;
    private String path = ":memory:";
    private long nanos;

    private EngineStatus status() {
        return new EngineStatus("main", EngineState.RUNNING, path, false,
                List.of(new PoolStatus("writer", 1, 0, 1, 0, 1, 1), new PoolStatus("readers", 4, activeReaders, 4 - activeReaders, 0, 8, 1)),
                Map.of(), "3.54.1", commits, 0, errors, 0, Optional.empty(),
                new WriterQueueFigures(writersWaiting, LatencyFigures.NONE, 0), LatencyFigures.NONE, LatencyFigures.NONE,
                LatencyFigures.NONE, LatencyFigures.NONE, 0, 0, 0, Map.of(),
                new WalFigures(0, 0, Optional.ofNullable(checkpoint)), StatementCacheFigures.NONE);
    }

    /** One tick of the health sampler. */
    private void tick() {
        nanos += TICK;
        recorder.observe(status(), nanos, T0.plusNanos(nanos));
    }

    private void ticks(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    private static final int TICKS_PER_SAMPLE = (int) (HistoryRecorder.FINE_MILLIS / HealthMonitor.TICK_MILLIS);

    @Test
    void eachSampleHoldsTheCountersGrowthInItsIntervalAndTheLatenciesThatEndedInIt() {
        commits = 30;
        errors = 2;
        for (int i = 1; i <= 100; i++) {
            writes.record(i * MS, 0);
        }
        reads.record(5 * MS, 0);
        ticks(TICKS_PER_SAMPLE);
        commits = 31;
        ticks(TICKS_PER_SAMPLE);

        List<EngineSample> samples = recorder.history().recent();
        assertThat(samples).hasSize(2);
        EngineSample first = samples.get(0);
        assertThat(first.intervalMillis()).isEqualTo(HistoryRecorder.FINE_MILLIS);
        assertThat(first.at()).isEqualTo(T0.plusNanos(TICK * TICKS_PER_SAMPLE));
        assertThat(first.commits()).isEqualTo(30);
        assertThat(first.errors()).isEqualTo(2);
        assertThat(first.commitsPerSecond()).isEqualTo(15.0);
        assertThat(first.writeUnits().count()).isEqualTo(100);
        assertThat(first.writeUnits().p50Nanos()).isBetween(49 * MS, 51 * MS);
        assertThat(first.writeUnits().p99Nanos()).isBetween(98 * MS, 100 * MS);
        assertThat(first.readUnits().count()).isEqualTo(1);
        assertThat(first.writerQueueWait()).isEqualTo(dev.sqliteengine.api.SampleLatency.NONE);

        EngineSample second = samples.get(1);
        assertThat(second.commits()).isEqualTo(1);
        assertThat(second.errors()).isZero();
        assertThat(second.writeUnits().count()).as("only what ended in its own interval").isZero();
    }

    @Test
    void aBurstBetweenTwoSamplesShowsAsTheIntervalsPeak() {
        ticks(3);
        activeReaders = 7;
        writersWaiting = 3;
        tick();
        activeReaders = 0;
        writersWaiting = 0;
        ticks(TICKS_PER_SAMPLE - 3);

        EngineSample sample = recorder.history().recent().get(0);
        assertThat(sample.writersWaiting()).isEqualTo(3);
        assertThat(sample.pools()).containsExactly(new PoolSample("writer", 0, 0, 1), new PoolSample("readers", 7, 0, 8));

        ticks(TICKS_PER_SAMPLE);
        assertThat(recorder.history().recent().get(1).writersWaiting()).as("the next interval starts afresh").isZero();
    }

    @Test
    void theHourSeriesMergesTenFineSamplesExactly() {
        for (int s = 0; s < HistoryRecorder.COARSE_EVERY; s++) {
            commits += s;
            writes.record((s + 1) * 10 * MS, 0);
            activeReaders = s == 4 ? 6 : 1;
            ticks(TICKS_PER_SAMPLE);
        }
        EngineHistory history = recorder.history();
        assertThat(history.recent()).hasSize(HistoryRecorder.COARSE_EVERY);
        assertThat(history.hour()).singleElement().satisfies(hour -> {
            assertThat(hour.intervalMillis()).isEqualTo(HistoryRecorder.FINE_MILLIS * HistoryRecorder.COARSE_EVERY);
            assertThat(hour.commits()).isEqualTo(history.recent().stream().mapToLong(EngineSample::commits).sum()).isEqualTo(45);
            assertThat(hour.writeUnits().count()).isEqualTo(10);
            assertThat(hour.writeUnits().p50Nanos()).as("the median of all ten, not of the fine medians").isBetween(49 * MS, 51 * MS);
            assertThat(hour.writeUnits().maxNanos()).isBetween(99 * MS, 101 * MS);
            assertThat(hour.pools()).contains(new PoolSample("readers", 6, 0, 8));
            assertThat(hour.at()).isEqualTo(history.recent().get(HistoryRecorder.COARSE_EVERY - 1).at());
        });
    }

    @Test
    void theRingsKeepFifteenMinutesAndAnHour() {
        int samples = HistoryRecorder.FINE_SLOTS + 25;
        for (int s = 0; s < samples; s++) {
            commits++;
            ticks(TICKS_PER_SAMPLE);
        }
        EngineHistory history = recorder.history();
        assertThat(history.recent()).hasSize(HistoryRecorder.FINE_SLOTS);
        assertThat(history.recent().get(0).at()).as("the oldest are dropped first")
                .isEqualTo(T0.plusNanos(TICK * 26L * TICKS_PER_SAMPLE));
        assertThat(history.recent()).isSortedAccordingTo(java.util.Comparator.comparing(EngineSample::at));
        assertThat(history.hour()).hasSize(samples / HistoryRecorder.COARSE_EVERY);
        assertThat(HistoryRecorder.FINE_SLOTS * HistoryRecorder.FINE_MILLIS).isEqualTo(15 * 60 * 1000L);
        assertThat(HistoryRecorder.COARSE_SLOTS * HistoryRecorder.COARSE_EVERY * HistoryRecorder.FINE_MILLIS).isEqualTo(60 * 60 * 1000L);
    }

    @Test
    void eachCheckpointTheEngineRanIsKeptOnce() {
        CheckpointFigures first = new CheckpointFigures(Instant.now(), "PASSIVE", true, 10, 10, Optional.empty());
        checkpoint = first;
        ticks(TICKS_PER_SAMPLE);
        CheckpointFigures second = new CheckpointFigures(Instant.now(), "TRUNCATE", true, 4, 4, Optional.empty());
        checkpoint = second;
        ticks(3 * TICKS_PER_SAMPLE);
        assertThat(recorder.history().checkpoints()).containsExactly(first, second);
    }

    @Test
    void theWalSizeIsMeasuredForAFileAndAbsentInMemory() throws Exception {
        ticks(TICKS_PER_SAMPLE);
        Path db = dir.resolve("w.db");
        path = db.toString();
        ticks(TICKS_PER_SAMPLE);
        Files.write(Path.of(path + "-wal"), new byte[4096]);
        ticks(TICKS_PER_SAMPLE);
        assertThat(recorder.history().recent()).extracting(EngineSample::walBytes)
                .containsExactly(OptionalLong.empty(), OptionalLong.of(0), OptionalLong.of(4096));
    }

    @Test
    void readersSeeWholeOrderedSeriesWhileTheSamplerAddsToThem() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        AtomicBoolean done = new AtomicBoolean();
        List<Future<Integer>> readers = new ArrayList<>();
        try {
            for (int r = 0; r < 4; r++) {
                readers.add(threads.submit(() -> {
                    int reads = 0;
                    while (!done.get()) {
                        EngineHistory history = recorder.history();
                        assertThat(history.recent()).doesNotContainNull()
                                .isSortedAccordingTo(java.util.Comparator.comparing(EngineSample::at));
                        assertThat(history.recent().size()).isLessThanOrEqualTo(HistoryRecorder.FINE_SLOTS);
                        reads++;
                    }
                    return reads;
                }));
            }
            for (int s = 0; s < 2 * HistoryRecorder.FINE_SLOTS; s++) {
                commits++;
                ticks(TICKS_PER_SAMPLE);
            }
        } finally {
            done.set(true);
            threads.shutdown();
        }
        for (Future<Integer> reader : readers) {
            assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
        }
        assertThat(recorder.history().recent()).hasSize(HistoryRecorder.FINE_SLOTS)
                .allSatisfy(s -> assertThat(s.commits()).isEqualTo(1));
    }
}
