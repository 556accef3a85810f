package dev.sqliteengine.impl.operations;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineHealth.Status;
import dev.sqliteengine.impl.database.Upkeep;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code PRAGMA quick_check} on an engine and keeps the latest result.
 * <p>
 * It runs in a read unit: on a reader connection, in a deferred read transaction, so it never
 * waits for the writer gate nor holds it, and writes go on meanwhile (in WAL mode). At most one
 * run at a time ({@link #running}, asserted). {@link #cancel()} interrupts a run in SQLite
 * (through {@link Statement#cancel()}), so closing an engine does not wait for a check of a large
 * file to end.
 */
public final class QuickCheck {

    private static final int SHOWN_PROBLEMS = 3;

    /**
     * One run's outcome.
     *
     * @param path the database file it ran on: a result says nothing about another file
     * @param at when the run ended
     * @param status OK, CRITICAL for a damaged file, WARN when it could not run for another reason
     * @param message what it found
     */
    public record Result(String path, Instant at, Status status, String message) {}

    private final String name;
    /** The database type's check (SQLite: {@code PRAGMA quick_check}). */
    private final Upkeep upkeep;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicReference<Statement> statement = new AtomicReference<>();
    private volatile Result latest;

    public QuickCheck(String name, Upkeep upkeep) {
        this.name = name;
        this.upkeep = upkeep;
    }

    /** @return the latest result, or null before the first run ended */
    public Result latest() {
        return latest;
    }

    /** @return whether a run may start now; if so, the caller must {@link #run} */
    public boolean claim() {
        return running.compareAndSet(false, true);
    }

    /** Gives a claim back that will not {@link #run} after all. */
    public void unclaim() {
        boolean wasClaimed = running.getAndSet(false);
        assert wasClaimed : "a quick check was unclaimed without a claim";
    }

    /**
     * Runs the check once; the caller has {@link #claim claimed} the run.
     *
     * @param connections the engine's units of work
     * @param path the file the engine runs on now
     */
    public void run(ConnectionManager connections, String path) {
        assert running.get() : "a quick check ran without being claimed";
        String check = upkeep.checkName();
        try {
            List<String> problems = upkeep.check(connections, statement);
            latest = problems.isEmpty()
                    ? new Result(path, Instant.now(), Status.OK, check + " found no problems")
                    : new Result(path, Instant.now(), Status.CRITICAL, check + " found "
                            + (problems.size() >= Upkeep.MAX_PROBLEMS ? "at least " : "") + problems.size() + " problem(s), the first: "
                            + String.join("; ", problems.subList(0, Math.min(SHOWN_PROBLEMS, problems.size()))));
        } catch (RuntimeException e) { // an EngineException from the unit, or a bug in a hook
            boolean damaged = e instanceof EngineException failure && upkeep.isDamage(failure.resultCode());
            latest = new Result(path, Instant.now(), damaged ? Status.CRITICAL : Status.WARN,
                    check + (damaged ? " could not read the file: " : " could not run: ") + withoutName(e.getMessage()));
        } finally {
            running.set(false);
        }
    }

    /** Interrupts a run in progress, if any; it ends with a WARN result. */
    public void cancel() {
        Statement s = statement.get();
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException e) {
                // the run ended meanwhile
            }
        }
    }

    private String withoutName(String message) {
        String prefix = "[" + name + "] ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
    }
}
