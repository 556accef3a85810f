package dev.sqliteengine.impl.pool;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.events.EngineMessages;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The pool generation that new work enters, and the handover from one generation to the next.
 * <p>
 * A state machine. Each transition is one method, which checks the state it starts from:
 * <pre>
 * OPENING --start--------&gt; SERVING
 * SERVING --switchTo-----&gt; SERVING   the new generation is published, then the old one retired
 * SERVING --pause--------&gt; PAUSED    the old generation is retired, and there is no new one yet
 * PAUSED  --resume-------&gt; SERVING
 * PAUSED  --fail---------&gt; FAILED
 * FAILED  --recover------&gt; SERVING
 * OPENING, SERVING, FAILED --close--&gt; CLOSING --closed--&gt; CLOSED
 * </pre>
 * Invariants:
 * <ul>
 * <li>A generation is retired only after new work stopped being sent to it: {@link #switchTo}
 * publishes the new generation before it retires the old one ({@link PoolGeneration}'s rule), and
 * {@link #pause} leaves SERVING before it retires. So an entrant whose
 * {@link PoolGeneration#tryEnter()} fails finds another state on its next look; {@link #enter()}
 * asserts that, and should it ever not hold, waits instead of retrying at once.</li>
 * <li>Nobody spins. While PAUSED (a switch that must close the old pools before it can open new
 * ones: leaving WAL mode), entrants wait on this object's monitor until a transition wakes them,
 * at most their {@code osgi.connection.timeout}. In FAILED, CLOSING and CLOSED they fail at once
 * with a {@link ConnectionException} that says why.</li>
 * <li>A pause always ends: the switch holds a {@link Pause} in a try-with-resources block, and a
 * pause closed without {@link Pause#resume} or {@link Pause#fail} fails the engine rather than
 * leave entrants waiting for a switch that is no longer running.</li>
 * </ul>
 * The engine makes transitions under its lifecycle lock; they also take this object's monitor,
 * which is what entrants wait on. Entering reads the volatile {@link #state} and takes no lock.
 */
public final class CurrentGeneration {

    private enum Phase {
        /** Only inside {@code SqliteEngine.open}, before the first generation opened. */
        OPENING,
        SERVING,
        PAUSED,
        FAILED,
        CLOSING,
        CLOSED
    }

    /**
     * Replaced as a whole by every transition, so that an entrant can tell, by identity, that
     * something happened since it looked.
     *
     * @param generation the generation new work enters (SERVING), the one being replaced
     *        (PAUSED), the last one that served (FAILED, CLOSING, CLOSED), or null (OPENING)
     * @param why PAUSED: what the switch is doing; FAILED: why the engine failed
     */
    private record State(Phase phase, PoolGeneration generation, String why, EngineException failure) {
    }

    private final String name;
    private volatile State state = new State(Phase.OPENING, null, "not open yet", null);

    public CurrentGeneration(String name) {
        this.name = name;
    }

    /** @return the state as the API shows it */
    public EngineState engineState() {
        return switch (state.phase()) {
            case SERVING, PAUSED -> EngineState.RUNNING;
            case FAILED -> EngineState.FAILED;
            case CLOSING -> EngineState.CLOSING;
            // Nobody outside SqliteEngine.open holds an engine that is still OPENING.
            case OPENING, CLOSED -> EngineState.CLOSED;
        };
    }

    /**
     * @return the generation whose settings and location the engine shows: the serving one, or
     *         the last one that served
     */
    public PoolGeneration latest() {
        return state.generation();
    }

    /**
     * @return the current generation, entered; the caller must {@link PoolGeneration#exit()} it
     * @throws ConnectionException when the engine failed or is closing, or a pending switch did
     *         not finish within the connection timeout
     */
    public PoolGeneration enter() {
        return await(true);
    }

    /**
     * @return the current generation, not entered: for connections of the {@code DataSource}
     *         pool, which the pool counts itself
     * @throws ConnectionException as {@link #enter()}
     */
    public PoolGeneration serving() {
        // The common case first, small enough to be inlined into every checkout.
        State seen = state;
        if (seen.phase() == Phase.SERVING && !seen.generation().retired()) {
            return seen.generation();
        }
        return await(false);
    }

    private PoolGeneration await(boolean enter) {
        State seen = state;
        long deadline = 0; // set at the first wait
        while (true) {
            if (seen.phase() == Phase.SERVING) {
                PoolGeneration generation = seen.generation();
                if (enter ? generation.tryEnter() : !generation.retired()) {
                    return generation;
                }
                State now = state;
                assert now != seen : "[" + name + "] generation #" + generation.number()
                        + " was retired while new work was still sent to it";
                if (now != seen) {
                    seen = now;
                    continue;
                }
            } else if (seen.phase() != Phase.PAUSED) {
                throw refusal(seen);
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(seen.generation().settings().connectionTimeout());
            }
            seen = awaitChange(seen, deadline);
        }
    }

    private State awaitChange(State seen, long deadline) {
        synchronized (this) {
            while (state == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    EngineSettings settings = seen.generation().settings();
                    throw new ConnectionException(name, "waited " + settings.connectionTimeout()
                            + " ms (osgi.connection.timeout) for a switch to new pools to finish (" + seen.why()
                            + "); work still running on the old pools may hold it up to drainTimeout="
                            + settings.drainTimeout() + " ms");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConnectionException(name, "interrupted while waiting for a switch to new pools to finish ("
                            + seen.why() + ")");
                }
            }
            return state;
        }
    }

    private ConnectionException refusal(State seen) {
        if (seen.phase() == Phase.FAILED) {
            EngineException why = seen.failure();
            return new ConnectionException(name, "the engine has failed and accepts no work until a configuration"
                    + " update opens its pools again, or it is closed: " + seen.why(),
                    why == null ? EngineException.NO_RESULT_CODE : why.resultCode(), why);
        }
        return notRunning(engineState());
    }

    /**
     * For the engine's lifecycle operations, which need it running and do not wait out a switch.
     *
     * @throws ConnectionException unless the engine is {@link EngineState#RUNNING}
     */
    public void requireRunning() {
        EngineState engine = engineState();
        if (engine != EngineState.RUNNING) {
            throw notRunning(engine);
        }
    }

    private ConnectionException notRunning(EngineState engine) {
        // A ConnectionException: for the caller the database went away, as with a closed pool.
        return new ConnectionException(name, "the engine is " + engine.name().toLowerCase(Locale.ROOT)
                + "; no new work is accepted");
    }

    // Transitions

    public synchronized void start(PoolGeneration first) {
        require(Phase.OPENING, null);
        state = new State(Phase.SERVING, first, "", null);
    }

    /** Publishes the new generation, then retires the old one; work already in the old one finishes there. */
    synchronized void switchTo(PoolGeneration old, PoolGeneration fresh) {
        require(Phase.SERVING, old);
        state = new State(Phase.SERVING, fresh, "", null);
        old.retire();
        notifyAll(); // only for an entrant that found the invariant broken and waits
    }

    /**
     * Stops sending new work to the old generation, which is retired; entrants wait until the
     * returned pause ends.
     *
     * @param why what the switch does, for the message of an entrant that waited too long
     */
    synchronized Pause pause(PoolGeneration old, String why) {
        require(Phase.SERVING, old);
        state = new State(Phase.PAUSED, old, why, null);
        old.retire();
        return new Pause();
    }

    /** Serves again after a failure, from a generation opened afresh; the failed one is closed. */
    synchronized void recover(PoolGeneration failed, PoolGeneration fresh) {
        require(Phase.FAILED, failed);
        state = new State(Phase.SERVING, fresh, "", null);
        notifyAll();
    }

    /**
     * Refuses new work from now on.
     *
     * @return the last generation that served, retired, for the caller to drain and close; null
     *         while opening
     */
    public synchronized PoolGeneration close() {
        State was = state;
        if (was.phase() != Phase.OPENING && was.phase() != Phase.SERVING && was.phase() != Phase.FAILED) {
            throw illegal("close");
        }
        state = new State(Phase.CLOSING, was.generation(), "", null);
        if (was.generation() != null) {
            was.generation().retire();
        }
        notifyAll();
        return was.generation();
    }

    public synchronized void closed() {
        require(Phase.CLOSING, state.generation());
        state = new State(Phase.CLOSED, state.generation(), "", null);
    }

    private void require(Phase phase, PoolGeneration generation) {
        if (state.phase() != phase || state.generation() != generation) {
            throw illegal(phase + (generation == null ? "" : " on generation #" + generation.number()));
        }
    }

    private IllegalStateException illegal(String expected) {
        PoolGeneration g = state.generation();
        return new IllegalStateException("[" + name + "] pool handover out of order: expected " + expected + ", but "
                + state.phase() + (g == null ? "" : " on generation #" + g.number()));
    }

    /** A pending switch that closes the old pools before it opens new ones. Ends exactly once. */
    final class Pause implements AutoCloseable {

        private boolean ended;

        /** New work enters the new generation, and whoever waited goes on there. */
        void resume(PoolGeneration fresh) {
            end(Phase.SERVING, fresh, "", null);
        }

        /**
         * The engine has no pools to serve with: whoever waited, and all new work, fails with the
         * reason, until {@link CurrentGeneration#recover} or {@link CurrentGeneration#close()}.
         */
        void fail(EngineException why) {
            end(Phase.FAILED, state.generation(), EngineMessages.withoutPrefix(name, why), why);
        }

        private void end(Phase phase, PoolGeneration generation, String why, EngineException failure) {
            synchronized (CurrentGeneration.this) {
                if (ended || state.phase() != Phase.PAUSED) {
                    throw illegal("PAUSED");
                }
                ended = true;
                state = new State(phase, generation, why, failure);
                CurrentGeneration.this.notifyAll();
            }
        }

        /** Fails the engine if the switch stopped without resuming or failing. */
        @Override
        public void close() {
            if (!ended) {
                fail(new ConnectionException(name, "a switch to new pools (" + state.why()
                        + ") stopped before it opened them"));
            }
        }
    }
}
