package dev.sqliteengine.postgres.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a server's state that only shows by looking (a status line in postmaster.pid, a
 * replay position, a process gone): PostgreSQL sends no event for it. {@code pg_ctl} waits the
 * same way.
 */
final class Poll {

    static final Duration INTERVAL = Duration.ofMillis(20);

    private Poll() {}

    /**
     * @param failure the error's message, when the condition still does not hold at the deadline
     * @throws PostgresServerException at the deadline
     */
    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
        if (!within(timeout, condition)) {
            throw new PostgresServerException(failure.get());
        }
    }

    /** @return whether the condition held before the timeout ran out */
    static boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            pause();
        }
        return true;
    }

    /** Sleeps one interval; an interrupt ends the wait with an error and keeps the flag set. */
    static void pause() {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresServerException("Interrupted while waiting for PostgreSQL", e);
        }
    }
}
