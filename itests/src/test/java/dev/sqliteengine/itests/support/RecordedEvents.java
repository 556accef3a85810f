package dev.sqliteengine.itests.support;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EngineListener} that keeps an engine's configuration events: rejections, reconfigurations, closing. */
public final class RecordedEvents implements EngineListener {

    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void reconfigured(EngineEvent event) {
        events.add(event);
    }

    @Override
    public void rejected(EngineEvent event) {
        events.add(event);
    }

    @Override
    public void closed(EngineEvent event) {
        events.add(event);
    }

    /** @return the events so far, oldest first */
    public List<EngineEvent> all() {
        return List.copyOf(events);
    }

    /** @return the events of one type so far */
    public List<EngineEvent> of(EngineEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** @return whether any event arrived */
    public boolean any() {
        return !events.isEmpty();
    }
}
