package dev.sqliteengine.impl.osgi;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the engine of one configuration, which could not open for a reason that may pass by
 * itself (its server is down), tries again: {@value #FIRST_MILLIS} ms after the first failure,
 * then twice as long after each further one, at most every {@value #MOST_MILLIS} ms, until it
 * opens, fails for a reason that does not pass, or the configuration changes or goes away. How
 * often it logs is the caller's: once at WARN, then at DEBUG, so a server down for a day fills
 * no log.
 * <p>
 * One per {@link EngineComponent}, used under the component's lock only; the attempts run on the
 * host's opener thread ({@link EngineHost#opener()}).
 */
final class OpenRetries {

    static final long FIRST_MILLIS = 1_000;
    static final long MOST_MILLIS = 60_000;

    private final ScheduledExecutorService opener;
    private ScheduledFuture<?> pending;
    private long delay = FIRST_MILLIS;
    private int attempts;

    OpenRetries(ScheduledExecutorService opener) {
        this.opener = opener;
    }

    /** @return the attempts made since the first failure */
    int attempts() {
        return attempts;
    }

    /** @return the wait before the next attempt, in milliseconds */
    long nextDelay() {
        return delay;
    }

    /**
     * Runs {@code attempt} after the next delay, and doubles the delay after that.
     *
     * @return false when the host is shutting down and runs nothing any more
     */
    boolean schedule(Runnable attempt) {
        cancel(false);
        try {
            pending = opener.schedule(attempt, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
        attempts++;
        delay = Math.min(delay * 2, MOST_MILLIS);
        return true;
    }

    /** Drops the attempt that is due, and starts over: the next failure is a first one again. */
    void cancel() {
        cancel(true);
    }

    private void cancel(boolean reset) {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        if (reset) {
            delay = FIRST_MILLIS;
            attempts = 0;
        }
    }
}
