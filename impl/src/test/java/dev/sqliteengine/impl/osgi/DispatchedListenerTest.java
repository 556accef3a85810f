package dev.sqliteengine.impl.osgi;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A whiteboard listener hears events on a delivery thread: one that blocks or throws cannot hold up
 * or break the threads that cause events, it hears them in order, and one that falls too far
 * behind loses the newest, counted.
 */
class DispatchedListenerTest {

    private final ExecutorService delivery = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        delivery.shutdownNow();
    }

    private static EngineEvent commit(int n) {
        return new EngineEvent(EngineEvent.Type.COMMIT, "orders", n, "commit " + n, null);
    }

    /** Keeps the messages of the commits it hears; blocks on the first until released. */
    static final class Blocking implements EngineListener {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        final List<String> heard = new CopyOnWriteArrayList<>();

        @Override
        public void committed(EngineEvent event) {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heard.add(event.message());
        }
    }

    @Test
    void aBlockedListenerDoesNotHoldUpEightThreadsThatCauseEventsAndHearsThemAllInOrderOnceFree() throws Exception {
        Blocking listener = new Blocking();
        DispatchedListener dispatched = new DispatchedListener(listener, delivery);
        dispatched.committed(commit(-1));
        listener.blocked.await();

        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = IntStream.range(0, 8).<Future<?>>mapToObj(t -> callers.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    dispatched.committed(new EngineEvent(EngineEvent.Type.COMMIT, "orders", i, "T" + t + " " + i, null));
                }
            })).toList();
            for (Future<?> f : done) {
                f.get(30, SECONDS); // returns while the listener is still blocked
            }
        } finally {
            callers.shutdown();
        }
        assertThat(listener.heard).isEmpty();

        listener.release.countDown();
        await().atMost(30, SECONDS).until(() -> listener.heard.size() == 1 + 8 * 500);
        assertThat(dispatched.dropped()).isZero();
        for (int t = 0; t < 8; t++) {
            String prefix = "T" + t + " ";
            List<Integer> ofThread = listener.heard.stream().filter(m -> m.startsWith(prefix))
                    .map(m -> Integer.parseInt(m.substring(prefix.length()))).toList();
            assertThat(ofThread).as("thread %d's events in the order it caused them", t).isSorted().hasSize(500);
        }
    }

    @Test
    void aListenerTooFarBehindLosesTheNewestEventsCounted() throws Exception {
        Blocking listener = new Blocking();
        DispatchedListener dispatched = new DispatchedListener(listener, delivery, 100);
        dispatched.committed(commit(0));
        listener.blocked.await();
        for (int i = 1; i <= 150; i++) {
            dispatched.committed(commit(i));
        }
        assertThat(dispatched.dropped()).isEqualTo(50);

        listener.release.countDown();
        await().atMost(30, SECONDS).until(() -> listener.heard.size() == 101);
        assertThat(listener.heard).startsWith("commit 0", "commit 1").endsWith("commit 100");
    }

    @Test
    void aThrowingListenerKeepsHearingAndDoesNotDisturbAnother() {
        List<String> heard = new CopyOnWriteArrayList<>();
        DispatchedListener throwing = new DispatchedListener(new EngineListener() {
            @Override
            public void committed(EngineEvent event) {
                heard.add("throwing " + event.message());
                throw new IllegalStateException("broken listener");
            }
        }, delivery);
        DispatchedListener other = new DispatchedListener(new EngineListener() {
            @Override
            public void committed(EngineEvent event) {
                heard.add("other " + event.message());
            }
        }, delivery);
        for (int i = 0; i < 3; i++) {
            throwing.committed(commit(i));
            other.committed(commit(i));
        }
        await().atMost(30, SECONDS).until(() -> heard.size() == 6);
        assertThat(heard).filteredOn(m -> m.startsWith("throwing")).containsExactly("throwing commit 0",
                "throwing commit 1", "throwing commit 2");
        assertThat(heard).filteredOn(m -> m.startsWith("other")).containsExactly("other commit 0", "other commit 1",
                "other commit 2");
    }

    @Test
    void aClosedDispatcherDeliversNothingMore() throws Exception {
        Blocking listener = new Blocking();
        DispatchedListener dispatched = new DispatchedListener(listener, delivery);
        dispatched.committed(commit(0));
        listener.blocked.await();
        dispatched.committed(commit(1));
        dispatched.close();
        dispatched.committed(commit(2));
        listener.release.countDown();
        // the one being delivered when it closed completes; nothing queued before or after does
        await().atMost(30, SECONDS).until(() -> listener.heard.size() == 1);
        CountDownLatch drained = new CountDownLatch(1);
        delivery.execute(drained::countDown);
        delivery.execute(drained::countDown);
        assertThat(drained.await(30, SECONDS)).isTrue();
        assertThat(listener.heard).containsExactly("commit 0");
    }
}
