package dev.sqliteengine.webconsole;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHistory;
import dev.sqliteengine.api.EngineSample;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolSample;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.api.SampleLatency;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The charts' data as the page's script reads it, and the engine view's escaping. */
class HistoryJsonTest {

    private static final Instant T = Instant.parse("2026-12-01T12:00:00.500Z");

    private static EngineSample sample(Instant at, long commits, SampleLatency writes, OptionalLong wal) {
        return new EngineSample(at, 2000, commits, 0, 1, SampleLatency.NONE, writes, SampleLatency.NONE, 2,
                List.of(new PoolSample("writer", 1, 3, 1), new PoolSample("readers", 2, 0, 8)), wal);
    }

    @Test
    void eachSeriesIsAColumnWithGapsWhereNothingWasMeasured() {
        EngineHistory history = new EngineHistory("main",
                List.of(sample(T, 10, new SampleLatency(4, 1_500_000, 12_345_678, 20_000_000), OptionalLong.of(4096)),
                        sample(T.plusSeconds(2), 3, SampleLatency.NONE, OptionalLong.empty())),
                List.of(), List.of(new CheckpointFigures(T.plusSeconds(1), "TRUNCATE", true, 10, 10, Optional.empty())));

        String json = HistoryJson.render(HistoryJson.Series.RECENT, List.of(new HistoryJson.Entry(history, Optional.empty())));

        assertThat(json).startsWith("{\"series\":\"recent\",\"engines\":[{\"name\":\"main\",\"t\":[1796126400.5,1796126402.5],")
                .contains("\"commits\":[5,1.5]", "\"errors\":[0.5,0.5]")
                .contains("\"writeP50\":[1.5,null]", "\"writeP99\":[12.346,null]", "\"readP50\":[null,null]")
                .contains("\"queueDepth\":[2,2]")
                .contains("\"pools\":[{\"name\":\"writer\",\"active\":[1,1],\"max\":[1,1]},{\"name\":\"readers\",\"active\":[2,2],\"max\":[8,8]}]")
                .contains("\"wal\":[4096,null]")
                .contains("\"checkpoints\":[{\"t\":1796126401.5,\"mode\":\"TRUNCATE\",\"completed\":true}]")
                .doesNotContain("health");
    }

    @Test
    void theHourSeriesAndTheHealthOfOneEngine() {
        EngineHistory history = new EngineHistory("main", List.of(),
                List.of(sample(T, 40, SampleLatency.NONE, OptionalLong.of(0))), List.of());
        EngineHealth health = new EngineHealth("main", T, List.of(new EngineHealth.Finding("wal", EngineHealth.Status.WARN,
                "big \"WAL\" </script>\n")));

        String json = HistoryJson.render(HistoryJson.Series.of("hour"), List.of(new HistoryJson.Entry(history, Optional.of(health))));

        assertThat(json).startsWith("{\"series\":\"hour\",").contains("\"commits\":[20]")
                .contains("\"status\":\"WARN\",\"health\":[{\"check\":\"wal\",\"status\":\"WARN\","
                        + "\"message\":\"big \\\"WAL\\\" \\u003c/script>\\n\"}]");
        assertThat(HistoryJson.Series.of(null)).isEqualTo(HistoryJson.Series.RECENT);
        assertThat(HistoryJson.Series.of("anything")).isEqualTo(HistoryJson.Series.RECENT);
    }

    @Test
    void theEngineViewEscapesWhatComesFromTheEngineAndShowsEachHealthCheck() {
        String hostile = "<b>x</b>\"";
        EngineStatus status = new EngineStatus(hostile, EngineState.RUNNING, "/data/" + hostile, false,
                List.of(PoolStatus.closed("writer")), Map.of(), "3.54.1", 0, 0, 0, 0, Optional.empty());
        EngineHealth health = new EngineHealth(hostile, T, List.of(
                new EngineHealth.Finding("state", EngineHealth.Status.OK, "running"),
                new EngineHealth.Finding("wal", EngineHealth.Status.WARN, "a <big> WAL")));

        String html = ChartsView.detail(status, health);

        assertThat(html).doesNotContain("<b>x</b>")
                .contains("data-engine=\"&lt;b&gt;x&lt;/b&gt;&quot;\"")
                .contains("<tr data-check=\"wal\"><td>wal</td><td class=\"health-WARN\">WARN</td><td>a &lt;big&gt; WAL</td></tr>")
                .contains("<b id=\"health-status\">WARN</b>")
                .contains("<script src=\"engines/res/uplot/uPlot.iife.min.js\"></script>")
                .contains("<script src=\"engines/res/engine-charts.js\"></script>");
    }
}
