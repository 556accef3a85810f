package dev.sqliteengine.config;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Config Admin delivers a configuration to the engine's component asynchronously. A shell user
 * who types {@code engine:set} and then {@code engine:query} expects the second command to see
 * the first, so the commands wait, on the engine's own events, until the change is in effect or
 * was rejected, at most {@link #WAIT_MILLIS}.
 */
final class ChangeWatch implements EngineListener, AutoCloseable {

    static final long WAIT_MILLIS = 10_000;

    private final Engine engine;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String rejection;

    /** Starts listening before the change is written, so its event cannot be missed. */
    ChangeWatch(Engine engine) {
        this.engine = engine;
        engine.addListener(this);
    }

    @Override
    public void reconfigured(EngineEvent event) {
        done.countDown();
    }

    @Override
    public void rejected(EngineEvent event) {
        rejection = event.message();
        done.countDown();
    }

    @Override
    public void closed(EngineEvent event) {
        done.countDown();
    }

    /**
     * @return null when the change is in effect (or nothing arrived in time), else why it was rejected
     */
    String awaitOutcome() throws InterruptedException {
        done.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        return rejection;
    }

    @Override
    public void close() {
        engine.removeListener(this);
    }
}
