package dev.sqliteengine.config;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.LatencyFigures;
import dev.sqliteengine.api.StatementCacheFigures;
import dev.sqliteengine.api.WalFigures;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engine's figures (latencies, counters, the statement cache, errors by result code, WAL) as {@code engine:stats}
 * and {@code engine:info} print them: durations in the unit that keeps them short, the latency
 * percentiles over about the last minute next to the count and mean since the engine started.
 */
final class FiguresReport {

    private FiguresReport() {}

    /** The counters, the writer queue and the WAL, as label/value lines. */
    static void counters(EngineStatus s, Map<String, Object> fields) {
        fields.put("Retries", s.retries());
        fields.put("Busy waits", s.busyWaits());
        fields.put("Timeouts", s.timeouts());
        fields.put("Writer queue", "waiting=" + s.writerQueue().waiting() + ", timeouts=" + s.writerQueue().timeouts());
        StatementCacheFigures statements = s.statementCache();
        fields.put("Statement cache", "reused=" + statements.reused() + ", prepared=" + statements.prepared()
                + String.format(Locale.ROOT, " (%.1f%% reused)", statements.reuseRatio() * 100));
    }

    static void wal(EngineStatus s, Map<String, Object> fields) {
        WalFigures wal = s.wal();
        fields.put("WAL size", wal.sizeBytes() + " bytes, " + wal.pages() + " pages");
        fields.put("Last checkpoint", wal.lastCheckpoint().map(FiguresReport::checkpoint)
                .orElse("none run by the engine since it started"));
    }

    private static String checkpoint(CheckpointFigures c) {
        return c.time() + " " + c.mode() + " " + c.failure().map(f -> "failed: " + f).orElse(
                (c.completed() ? "completed" : "not completed (busy)") + ", walPages=" + c.walPages()
                        + ", checkpointedPages=" + c.checkpointedPages());
    }

    /** The latencies: one row each, percentiles over the window, then totals since the start. */
    static String latencies(EngineStatus s) {
        TableFormatter table = new TableFormatter(List.of("TIMES (LAST MINUTE)", "P50", "P99", "MAX", "IN WINDOW",
                "SINCE START", "MEAN"));
        row(table, "writer queue wait", s.writerQueue().waitTime());
        row(table, "checkout wait", s.checkoutWait());
        row(table, "connection usage", s.connectionUsage());
        row(table, "read units", s.readUnits());
        row(table, "write units", s.writeUnits());
        return table.format();
    }

    private static void row(TableFormatter table, String what, LatencyFigures f) {
        table.row(List.of(what, duration(f.p50Nanos()), duration(f.p99Nanos()), duration(f.maxNanos()), f.windowCount(),
                f.count(), f.count() == 0 ? "-" : duration(f.totalNanos() / f.count())));
    }

    /** The errors by result code (by SQLSTATE on PostgreSQL), or a line saying there were none. */
    static String errors(EngineStatus s) {
        if (s.errorsByCode().isEmpty()) {
            return "No errors since the engine started.";
        }
        TableFormatter table = new TableFormatter(List.of(EngineReport.isServer(s) ? "ERRORS BY SQLSTATE"
                : "ERRORS BY RESULT CODE", "COUNT"));
        s.errorsByCode().forEach((code, n) -> table.row(List.of(code, n)));
        return table.format();
    }

    /** @return for example {@code 850 ns}, {@code 12.3 us}, {@code 4.56 ms}, {@code 1.20 s} */
    static String duration(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
