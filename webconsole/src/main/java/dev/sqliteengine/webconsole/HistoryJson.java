package dev.sqliteengine.webconsole;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHistory;
import dev.sqliteengine.api.EngineSample;
import dev.sqliteengine.api.PoolSample;
import dev.sqliteengine.api.SampleLatency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The charts' data ({@code /system/console/engines/history.json}): per engine, one series of the
 * {@link EngineHistory} as columns, the form the charting library draws without copying.
 * <pre>
 * {"series":"recent","engines":[{"name":"main","t":[seconds since the epoch...],
 *   "commits":[per second...],"errors":[per second...],
 *   "readP50":[ms...],"readP99":[...],"writeP50":[...],"writeP99":[...],
 *   "queueDepth":[threads...],"queueWaitP99":[ms...],
 *   "pools":[{"name":"writer","active":[...],"max":[...]},...],
 *   "wal":[bytes...],"checkpoints":[{"t":seconds,"mode":"TRUNCATE","completed":true},...],
 *   "health":[{"check":"state","status":"OK","message":"running"},...]}]}
 * </pre>
 * A latency is {@code null} in an interval in which no such unit ended, the WAL's size where the
 * engine has no file to measure, so a chart shows a gap rather than a made-up 0. {@code health}
 * is there only when asked for (the detail view).
 */
final class HistoryJson {

    /** Which series of the history: the 15 minutes' or the hour's. */
    enum Series {
        RECENT("recent", EngineHistory::recent), HOUR("hour", EngineHistory::hour);

        final String id;
        final Function<EngineHistory, List<EngineSample>> samples;

        Series(String id, Function<EngineHistory, List<EngineSample>> samples) {
            this.id = id;
            this.samples = samples;
        }

        /** @return the series a request parameter names; the recent one when it names none */
        static Series of(String parameter) {
            return HOUR.id.equals(parameter) ? HOUR : RECENT;
        }
    }

    /** One engine's history, and its health when the view shows it. */
    record Entry(EngineHistory history, Optional<EngineHealth> health) {}

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private HistoryJson() {}

    static String render(Series series, List<Entry> entries) {
        StringBuilder out = new StringBuilder(16_384);
        out.append("{\"series\":");
        Json.string(out, series.id).append(",\"engines\":[");
        for (int i = 0; i < entries.size(); i++) {
            out.append(i == 0 ? "" : ",");
            engine(out, series.samples.apply(entries.get(i).history()), entries.get(i));
        }
        return out.append("]}").toString();
    }

    private static void engine(StringBuilder out, List<EngineSample> samples, Entry entry) {
        out.append("{\"name\":");
        Json.string(out, entry.history().engine());
        column(out, "t", samples, s -> s.at().toEpochMilli() / 1000.0);
        column(out, "commits", samples, EngineSample::commitsPerSecond);
        column(out, "errors", samples, EngineSample::errorsPerSecond);
        column(out, "readP50", samples, s -> millis(s.readUnits(), s.readUnits().p50Nanos()));
        column(out, "readP99", samples, s -> millis(s.readUnits(), s.readUnits().p99Nanos()));
        column(out, "writeP50", samples, s -> millis(s.writeUnits(), s.writeUnits().p50Nanos()));
        column(out, "writeP99", samples, s -> millis(s.writeUnits(), s.writeUnits().p99Nanos()));
        column(out, "queueDepth", samples, s -> (double) s.writersWaiting());
        column(out, "queueWaitP99", samples, s -> millis(s.writerQueueWait(), s.writerQueueWait().p99Nanos()));
        pools(out, samples);
        column(out, "wal", samples, s -> s.walBytes().isPresent() ? (Double) (double) s.walBytes().getAsLong() : null);
        out.append(",\"checkpoints\":[");
        List<CheckpointFigures> checkpoints = entry.history().checkpoints();
        for (int i = 0; i < checkpoints.size(); i++) {
            CheckpointFigures c = checkpoints.get(i);
            out.append(i == 0 ? "{\"t\":" : ",{\"t\":");
            Json.number(out, c.time().toEpochMilli() / 1000.0).append(",\"mode\":");
            Json.string(out, c.mode()).append(",\"completed\":").append(c.completed()).append('}');
        }
        out.append(']');
        entry.health().ifPresent(health -> health(out, health));
        out.append('}');
    }

    /** @return the latency in milliseconds, or null when nothing ended in the interval */
    private static Double millis(SampleLatency latency, long nanos) {
        return latency.count() == 0 ? null : nanos / NANOS_PER_MILLI;
    }

    private static void pools(StringBuilder out, List<EngineSample> samples) {
        Set<String> names = new LinkedHashSet<>();
        samples.forEach(s -> s.pools().forEach(p -> names.add(p.pool())));
        out.append(",\"pools\":[");
        int n = 0;
        for (String name : names) {
            out.append(n++ == 0 ? "{\"name\":" : ",{\"name\":");
            Json.string(out, name);
            column(out, "active", samples, s -> pool(s, name).map(p -> (double) p.active()).orElse(null));
            column(out, "max", samples, s -> pool(s, name).map(p -> (double) p.max()).orElse(null));
            out.append('}');
        }
        out.append(']');
    }

    private static Optional<PoolSample> pool(EngineSample sample, String name) {
        return sample.pools().stream().filter(p -> p.pool().equals(name)).findFirst();
    }

    private static void column(StringBuilder out, String key, List<EngineSample> samples, Function<EngineSample, Double> value) {
        out.append(",\"").append(key).append("\":[");
        for (int i = 0; i < samples.size(); i++) {
            out.append(i == 0 ? "" : ",");
            Double v = value.apply(samples.get(i));
            if (v == null) {
                out.append("null");
            } else {
                Json.number(out, v);
            }
        }
        out.append(']');
    }

    private static void health(StringBuilder out, EngineHealth health) {
        out.append(",\"status\":");
        Json.string(out, health.status().name()).append(",\"health\":[");
        for (int i = 0; i < health.findings().size(); i++) {
            EngineHealth.Finding f = health.findings().get(i);
            out.append(i == 0 ? "{\"check\":" : ",{\"check\":");
            Json.string(out, f.check()).append(",\"status\":");
            Json.string(out, f.status().name()).append(",\"message\":");
            Json.string(out, f.message()).append('}');
        }
        out.append(']');
    }
}
