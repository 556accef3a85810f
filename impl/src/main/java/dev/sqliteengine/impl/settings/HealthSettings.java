package dev.sqliteengine.impl.settings;

import static dev.sqliteengine.api.EngineProperties.*;

import java.util.Map;

/**
 * The {@code health.*} part of {@link EngineSettings}: the thresholds of {@code HealthMonitor}.
 * Every value is 0 for off, or within the range its property documents.
 *
 * @param quickCheckInterval ms between two {@code PRAGMA quick_check} runs (0: off)
 * @param saturationThreshold ms a pool may have waiters before health is WARN (0: off)
 * @param walWarnSize bytes of the {@code -wal} file above which health is WARN (0: off)
 * @param errorWindow ms back in which an error makes health WARN (0: off)
 */
public record HealthSettings(long quickCheckInterval, long saturationThreshold, long walWarnSize, long errorWindow) {

    static HealthSettings read(PropertyReader in) {
        return new HealthSettings(
                in.zeroOrBetween(HEALTH_QUICK_CHECK_INTERVAL, DEFAULT_HEALTH_QUICK_CHECK_INTERVAL, 1_000, 604_800_000L,
                        "milliseconds"),
                in.zeroOrBetween(HEALTH_SATURATION_THRESHOLD, DEFAULT_HEALTH_SATURATION_THRESHOLD, 250, 86_400_000L,
                        "milliseconds"),
                in.zeroOrBetween(HEALTH_WAL_WARN_SIZE, DEFAULT_HEALTH_WAL_WARN_SIZE, 1, 1L << 40, "bytes"),
                in.zeroOrBetween(HEALTH_ERROR_WINDOW, DEFAULT_HEALTH_ERROR_WINDOW, 1_000, 86_400_000L, "milliseconds"));
    }

    void putInto(Map<String, Object> out) {
        out.put(HEALTH_QUICK_CHECK_INTERVAL, quickCheckInterval);
        out.put(HEALTH_SATURATION_THRESHOLD, saturationThreshold);
        out.put(HEALTH_WAL_WARN_SIZE, walWarnSize);
        out.put(HEALTH_ERROR_WINDOW, errorWindow);
    }
}
