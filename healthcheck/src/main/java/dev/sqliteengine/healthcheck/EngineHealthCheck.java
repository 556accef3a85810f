package dev.sqliteengine.healthcheck;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHealth.Finding;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;

/**
 * One engine's {@link Engine#health()} as a Felix {@link HealthCheck}: one log entry per check,
 * with the same status (OK, WARN, CRITICAL) and reason, so the result's status is the engine's.
 * Cheap: {@code Engine.health()} runs no SQL, so Felix may call it as often as it likes.
 */
final class EngineHealthCheck implements HealthCheck {

    private final Engine engine;

    EngineHealthCheck(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Result execute() {
        ResultLog log = new ResultLog();
        try {
            for (Finding finding : engine.health().findings()) {
                log.add(new ResultLog.Entry(status(finding.status()), finding.check() + ": " + finding.message()));
            }
        } catch (RuntimeException e) {
            // an engine that went away between the registry and this call
            log.add(new ResultLog.Entry(Result.Status.CRITICAL, "the engine cannot report its health: " + e.getMessage(), e));
        }
        return new Result(log);
    }

    static Result.Status status(EngineHealth.Status status) {
        return switch (status) {
            case OK -> Result.Status.OK;
            case WARN -> Result.Status.WARN;
            case CRITICAL -> Result.Status.CRITICAL;
        };
    }
}
