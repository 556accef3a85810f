package dev.sqliteengine.micrometer;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineStatus;

/**
 * An engine's status, read at most once per {@link #MAX_AGE_NANOS}: a registry that publishes
 * (a Prometheus scrape, a push every minute) reads some forty meters one after another, and each
 * would otherwise read a whole status, the WAL file's header included. A meter so reads figures
 * at most a second old, which is as fresh as a scrape interval can tell.
 * <p>
 * Thread safe without a lock: the snapshot and its time are one immutable value behind a
 * volatile; two threads that find it stale at once both read the engine, and one of the two
 * fresh values stays.
 */
final class RecentStatus {

    static final long MAX_AGE_NANOS = 1_000_000_000L;

    private record Snapshot(EngineStatus status, long readAt) {}

    private final Engine engine;
    private volatile Snapshot latest;

    RecentStatus(Engine engine) {
        this.engine = engine;
    }

    EngineStatus get() {
        long now = System.nanoTime();
        Snapshot s = latest;
        if (s == null || now - s.readAt() >= MAX_AGE_NANOS) {
            s = new Snapshot(engine.status(), now);
            latest = s;
        }
        return s.status();
    }
}
