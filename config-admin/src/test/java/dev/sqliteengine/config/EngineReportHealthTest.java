package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHealth.Finding;
import dev.sqliteengine.api.EngineHealth.Status;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code engine:info} shows the engine's health: the worst status, then every check with its reason. */
class EngineReportHealthTest {

    @Test
    void info_shows_the_health_status_and_one_line_per_check() {
        EngineStatus status = new EngineStatus("orders", EngineState.RUNNING, ":memory:", false,
                List.of(PoolStatus.closed("writer")), Map.of(), "3.51.3", 0, 0, 0, 0, Optional.empty());
        EngineHealth health = new EngineHealth("orders", Instant.EPOCH, List.of(
                new Finding(EngineHealth.STATE, Status.OK, "running"),
                new Finding(EngineHealth.SATURATION, Status.WARN, "readers has had threads waiting\nfor 300 ms")));

        String info = EngineReport.info("orders", Optional.empty(), Optional.of(status), Optional.of(health));

        assertThat(info).containsPattern("Health \\.+ WARN\n");
        assertThat(info).contains("""
                CHECK       HEALTH  DETAIL
                ----------  ------  ------------------------------------------
                state       OK      running
                saturation  WARN    readers has had threads waiting for 300 ms""");
        assertThat(info.indexOf("CHECK")).isBetween(info.indexOf("POOL"), info.indexOf("Effective settings:"));
    }
}
