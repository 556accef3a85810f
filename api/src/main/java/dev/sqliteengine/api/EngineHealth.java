package dev.sqliteengine.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An engine's health, as {@link Engine#health()} returns it: one {@link Finding} per check, each
 * {@link Status#OK OK}, {@link Status#WARN WARN} or {@link Status#CRITICAL CRITICAL} with a
 * reason, and the engine's {@link #status()}, the worst of them. Immutable.
 * <p>
 * The checks, by their {@link Finding#check()} name:
 * <ul>
 * <li>{@value #STATE}: CRITICAL unless the engine is {@link EngineState#RUNNING}.</li>
 * <li>{@value #QUICK_CHECK}: CRITICAL when the latest {@code PRAGMA quick_check} found the file
 * damaged (or could not read it because it is); WARN when it could not run for another reason.
 * It runs every {@value EngineProperties#HEALTH_QUICK_CHECK_INTERVAL}, in the background, in a
 * read unit (a reader connection, never the writer), never on an in-memory database.</li>
 * <li>{@value #SATURATION}: WARN while a pool (the writer queue, the readers, the
 * {@code DataSource}'s pool) has had threads waiting for longer than
 * {@value EngineProperties#HEALTH_SATURATION_THRESHOLD}.</li>
 * <li>{@value #WAL}: WARN while the {@code -wal} file is larger than
 * {@value EngineProperties#HEALTH_WAL_WARN_SIZE}.</li>
 * <li>{@value #ERRORS}: WARN when units of work or connections failed within the last
 * {@value EngineProperties#HEALTH_ERROR_WINDOW}.</li>
 * <li>{@value #CONFIGURATION}: WARN while the latest configuration update is rejected (see
 * {@link EngineStatus#lastRejection()}).</li>
 * <li>{@value #REPLICAS}, only on an engine with {@value EngineProperties#REPLICAS}: WARN while a
 * replica cannot serve reads (it is down, cannot be reached, or is no standby), naming it and
 * saying why; its reads run on the primary meanwhile.</li>
 * </ul>
 * A check that is turned off reports OK and says so.
 *
 * @param engine the engine's name
 * @param at when the findings were made
 * @param findings one finding per check, in the order above
 */
public record EngineHealth(String engine, Instant at, List<Finding> findings) {

    /** {@link Finding#check()} of the engine's life cycle state. */
    public static final String STATE = "state";
    /** {@link Finding#check()} of the latest {@code PRAGMA quick_check}. */
    public static final String QUICK_CHECK = "quick_check";
    /** {@link Finding#check()} of threads waiting for connections. */
    public static final String SATURATION = "saturation";
    /** {@link Finding#check()} of the {@code -wal} file's size. */
    public static final String WAL = "wal";
    /** {@link Finding#check()} of recent errors. */
    public static final String ERRORS = "errors";
    /** {@link Finding#check()} of the latest configuration update. */
    public static final String CONFIGURATION = "configuration";
    /** {@link Finding#check()} of the streaming replicas that serve reads ({@link EngineProperties#REPLICAS}). */
    public static final String REPLICAS = "replicas";

    /** How healthy, from best to worst; the same three levels as Felix Health Checks use. */
    public enum Status {
        /** Nothing to do. */
        OK,
        /** Working, but needs attention: the reason says what. */
        WARN,
        /** Not working or data at risk: the reason says what. */
        CRITICAL
    }

    /**
     * The result of one check.
     *
     * @param check what was checked, one of the constants of {@link EngineHealth}
     * @param status how it went
     * @param message why, in one line, prefixed with nothing (the engine is {@link #engine()})
     */
    public record Finding(String check, Status status, String message) {

        /** Checks that nothing is null. */
        public Finding {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Copies the findings so the result stays immutable. */
    public EngineHealth {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(at, "at");
        findings = List.copyOf(findings);
    }

    /** @return the worst status among the findings; OK when there are none */
    public Status status() {
        return findings.stream().map(Finding::status).max(Comparator.naturalOrder()).orElse(Status.OK);
    }

    /**
     * @param check one of the check names, {@link #QUICK_CHECK} say
     * @return that check's finding, if the report has it
     */
    public Optional<Finding> finding(String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst();
    }

    /** @return the findings that are not OK, worst first */
    public List<Finding> problems() {
        return findings.stream().filter(f -> f.status() != Status.OK)
                .sorted(Comparator.comparing(Finding::status).reversed()).toList();
    }
}
