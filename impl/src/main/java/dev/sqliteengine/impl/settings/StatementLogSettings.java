package dev.sqliteengine.impl.settings;

import java.util.Locale;

/**
 * What an engine logs of the statements it runs: {@code log.statements},
 * {@code log.slowThreshold} and {@code log.parameters}, checked by {@link EngineSettings#parse}.
 *
 * @param mode which statements are logged
 * @param slowThresholdMillis a statement that takes at least this long is slow
 * @param parameters whether prepared statements show their bound parameters (secret-looking ones masked)
 */
public record StatementLogSettings(Mode mode, long slowThresholdMillis, boolean parameters) {

    /** The values of {@code log.statements}. */
    public enum Mode {
        /** Nothing is logged, and nothing is measured. */
        OFF,
        /** Statements that took at least the threshold, at WARN. */
        SLOW,
        /** Every statement, at INFO (slow ones at WARN). */
        ALL;

        /** @return the mode of a value, in any case, or null */
        static Mode of(String value) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(value)) {
                    return m;
                }
            }
            return null;
        }

        /** @return the value as configured: {@code off}, {@code slow} or {@code all} */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
