package dev.sqliteengine.itests.support;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link EngineListener} that counts an engine's configuration and life cycle events
 * (RECONFIGURED, REJECTED, ERROR, CLOSED) and keeps them, so a test can wait until an update
 * took effect or was refused. The per-connection events are frequent and are not kept.
 */
public final class EngineEvents implements EngineListener {

    private final Map<EngineEvent.Type, AtomicInteger> counts = new EnumMap<>(EngineEvent.Type.class);
    private final List<EngineEvent> kept = new CopyOnWriteArrayList<>();

    public EngineEvents() {
        for (EngineEvent.Type type : EngineEvent.Type.values()) {
            counts.put(type, new AtomicInteger());
        }
    }

    @Override
    public void reconfigured(EngineEvent event) {
        record(event);
    }

    @Override
    public void rejected(EngineEvent event) {
        record(event);
    }

    @Override
    public void failed(EngineEvent event) {
        record(event);
    }

    @Override
    public void closed(EngineEvent event) {
        record(event);
    }

    private void record(EngineEvent event) {
        kept.add(event);
        counts.get(event.type()).incrementAndGet();
    }

    /** @return how many events of this type arrived so far */
    public int count(EngineEvent.Type type) {
        return counts.get(type).get();
    }

    /** @return the latest event of this type, if any arrived */
    public Optional<EngineEvent> last(EngineEvent.Type type) {
        EngineEvent found = null;
        for (EngineEvent event : kept) {
            if (event.type() == type) {
                found = event;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Waits until {@code expected} events of this type arrived in all, and no more. */
    public void awaitCount(EngineEvent.Type type, int expected) {
        await().atMost(Engines.TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> count(type) >= expected);
        assertThat(count(type)).as("%s events (all kept: %s)", type, kept).isEqualTo(expected);
    }

    @Override
    public String toString() {
        return kept.toString();
    }
}
