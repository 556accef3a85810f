package dev.sqliteengine.impl.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.impl.engine.CapturedLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A listener that throws is logged once, and never keeps an event from the others. */
class ListenerSetTest {

    @Test
    void a_throwing_listener_is_logged_at_warn_once_and_the_others_hear_every_event() {
        ListenerSet listeners = new ListenerSet("logged");
        EngineListener throwing = new EngineListener() {
            @Override
            public void checkedOut(EngineEvent event) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public String toString() {
                return "the-throwing-one";
            }
        };
        List<EngineEvent> heard = new CopyOnWriteArrayList<>();
        listeners.add(throwing);
        listeners.add(new EngineListener() {
            @Override
            public void checkedOut(EngineEvent event) {
                heard.add(event);
            }
        });

        String log = loggedDuring(() -> {
            for (int i = 0; i < 5; i++) {
                listeners.fire(EngineEvent.Type.CHECKOUT, "connection handed out", null);
            }
        });

        assertThat(heard).hasSize(5);
        assertThat(log.split("the-throwing-one threw", -1)).as("WARN lines in %s", log).hasSize(2);
        assertThat(log).contains("WARN").contains("broken listener");

        // taken off and added again, it is a new listener to warn about
        listeners.remove(throwing);
        listeners.add(throwing);
        String again = loggedDuring(() -> listeners.fire(EngineEvent.Type.CHECKOUT, "connection handed out", null));
        assertThat(again).contains("the-throwing-one threw");
    }

    private static String loggedDuring(Runnable action) {
        return CapturedLog.during(action::run);
    }
}
