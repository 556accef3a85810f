package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.LatencyFigures;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.api.StatementCacheFigures;
import dev.sqliteengine.api.WalFigures;
import dev.sqliteengine.api.WriterQueueFigures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code engine:stats} shows every figure of the status, durations in a unit that keeps them short. */
class FiguresReportTest {

    private static EngineStatus status(Map<String, Long> errors, Optional<CheckpointFigures> checkpoint) {
        LatencyFigures writes = new LatencyFigures(1_500_000, 9_000_000, 12_000_000, 40, 100, 200_000_000);
        return new EngineStatus("main", EngineState.RUNNING, "/data/main.db", false,
                List.of(new PoolStatus("writer", 1, 1, 0, 0, 1, 1)), Map.of(), "3.51.3", 99, 1, 4, 0,
                Optional.empty(), new WriterQueueFigures(3, new LatencyFigures(800, 52_000, 61_000, 7, 9, 90_000), 2),
                LatencyFigures.NONE, LatencyFigures.NONE, LatencyFigures.NONE, writes, 5, 6, 2, errors,
                new WalFigures(4152, 1, checkpoint), new StatementCacheFigures(997, 3));
    }

    @Test
    void statsShowCountersQueueStatementCacheLatenciesErrorsAndTheWal() {
        CheckpointFigures checkpoint = new CheckpointFigures(Instant.parse("2026-12-01T06:00:00Z"), "TRUNCATE", true, 3, 3,
                Optional.empty());
        String stats = EngineReport.stats(status(Map.of("SQLITE_BUSY", 6L, "NONE", 2L), Optional.of(checkpoint)));
        assertThat(stats).containsPattern("Retries \\.+ 5").containsPattern("Busy waits \\.+ 6")
                .containsPattern("Timeouts \\.+ 2").containsPattern("Writer queue \\.+ waiting=3, timeouts=2")
                .containsPattern("WAL size \\.+ 4152 bytes, 1 pages")
                .containsPattern("Statement cache \\.+ reused=997, prepared=3 \\(99\\.7% reused\\)")
                .containsPattern("Last checkpoint \\.+ 2026-12-01T06:00:00Z TRUNCATE completed, walPages=3, checkpointedPages=3");
        assertThat(stats).containsPattern("writer queue wait +800 ns +52\\.0 us +61\\.0 us +7 +9 +10\\.0 us")
                .containsPattern("write units +1\\.50 ms +9\\.00 ms +12\\.00 ms +40 +100 +2\\.00 ms")
                .containsPattern("read units +0 ns +0 ns +0 ns +0 +0 +-");
        assertThat(stats).containsPattern("SQLITE_BUSY +6").containsPattern("NONE +2");
    }

    @Test
    void noErrorsAndNoCheckpointSaySo() {
        String stats = EngineReport.stats(status(Map.of(), Optional.empty()));
        assertThat(stats).contains("No errors since the engine started.")
                .containsPattern("Last checkpoint \\.+ none run by the engine since it started");
    }

    @Test
    void durationsKeepToAShortUnit() {
        assertThat(FiguresReport.duration(999)).isEqualTo("999 ns");
        assertThat(FiguresReport.duration(12_345)).isEqualTo("12.3 us");
        assertThat(FiguresReport.duration(4_560_000)).isEqualTo("4.56 ms");
        assertThat(FiguresReport.duration(1_200_000_000)).isEqualTo("1.20 s");
    }
}
