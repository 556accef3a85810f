package dev.sqliteengine.impl.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.impl.settings.WriteQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The queue of several writers (PostgreSQL) on its own: it lets its capacity in at once and no
 * more, hands places on in arrival order, gives up waits in time, follows a new capacity at once,
 * and lets a place be left by another thread than the one that took it.
 */
class WriterSlotsTest {

    private static final long LONG_WAIT_MS = 60_000;

    @Test
    void itLetsItsCapacityInAtOnceAndNoMore() throws Exception {
        WriterSlots slots = new WriterSlots(3, QueueWaits.NONE);
        for (int i = 0; i < 3; i++) {
            assertThat(enterOnAnotherThread(slots)).isTrue();
        }
        assertThat(slots.enter(0, WriteQueue.FIFO, 0)).as("a fourth writer").isFalse();
        assertThat(slots.heldByCurrentThread()).isFalse();
    }

    @Test
    void placesThatComeFreeGoToTheWaitersInArrivalOrder() throws Exception {
        WriterSlots slots = new WriterSlots(1, QueueWaits.NONE);
        assertThat(slots.enter(0, WriteQueue.BARGING, 0)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "writer-" + i;
            Thread t = new Thread(() -> {
                try {
                    assertThat(slots.enter(LONG_WAIT_MS, WriteQueue.BARGING, 0)).isTrue();
                    order.add(name);
                    slots.exit();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, name);
            t.start();
            threads.add(t);
            int queued = i + 1;
            await().until(() -> slots.waiting() == queued);
        }
        assertThat(slots.enter(0, WriteQueue.BARGING, 0)).as("a newcomer while writers wait").isFalse();
        slots.exit();
        for (Thread t : threads) {
            t.join(LONG_WAIT_MS);
        }
        assertThat(order).containsExactly("writer-0", "writer-1", "writer-2", "writer-3", "writer-4", "writer-5",
                "writer-6", "writer-7");
    }

    @Test
    void aWaitThatRunsOutOfTimeGivesUpAndLeavesTheQueue() throws Exception {
        WriterSlots slots = new WriterSlots(1, QueueWaits.NONE);
        AtomicInteger gaveUp = new AtomicInteger();
        WriterSlots recorded = new WriterSlots(1, (start, entered) -> {
            if (!entered) {
                gaveUp.incrementAndGet();
            }
        });
        assertThat(enterOnAnotherThread(recorded)).isTrue();

        assertThat(recorded.enter(50, WriteQueue.FIFO, 0)).isFalse();
        assertThat(recorded.waiting()).isZero();
        assertThat(gaveUp).hasValue(1);
        assertThat(slots.enter(50, WriteQueue.FIFO, 0)).as("an empty queue lets in at once").isTrue();
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndKeepsNoPlace() throws Exception {
        WriterSlots slots = new WriterSlots(1, QueueWaits.NONE);
        assertThat(slots.enter(0, WriteQueue.FIFO, 0)).isTrue();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                slots.enter(LONG_WAIT_MS, WriteQueue.FIFO, 0);
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });
        waiter.start();
        await().until(() -> slots.waiting() == 1);
        waiter.interrupt();
        waiter.join(LONG_WAIT_MS);

        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(slots.waiting()).isZero();
        slots.exit();
        assertThat(enterOnAnotherThread(slots)).as("the place is free again").isTrue();
    }

    @Test
    void moreCapacityLetsWaitersInAtOnceAndLessLetsNobodyNewIn() throws Exception {
        WriterSlots slots = new WriterSlots(1, QueueWaits.NONE);
        assertThat(slots.enter(0, WriteQueue.FIFO, 0)).isTrue();
        CountDownLatch in = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            new Thread(() -> {
                try {
                    if (slots.enter(LONG_WAIT_MS, WriteQueue.FIFO, 0)) {
                        in.countDown();
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }).start();
        }
        await().until(() -> slots.waiting() == 2);

        slots.resize(3);
        assertThat(in.await(LONG_WAIT_MS, TimeUnit.MILLISECONDS)).as("both waiters let in").isTrue();

        slots.resize(1);
        slots.exit(); // 2 inside, 1 allowed
        assertThat(enterOnAnotherThread(slots)).as("nobody new while more than the new capacity are inside").isFalse();
        assertThat(slots.capacity()).isEqualTo(1);
        assertThatThrownBy(() -> slots.resize(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPlaceTakenOnOneThreadMayBeLeftOnAnother() throws Exception {
        WriterSlots slots = new WriterSlots(1, QueueWaits.NONE);
        AtomicReference<Thread> entrant = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                assertThat(slots.enter(0, WriteQueue.FIFO, 0)).isTrue();
                assertThat(slots.heldByCurrentThread()).isTrue();
                entrant.set(Thread.currentThread());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        t.join(LONG_WAIT_MS);

        slots.exit(entrant.get());

        assertThat(slots.enter(0, WriteQueue.FIFO, 0)).isTrue();
        assertThat(slots.heldByCurrentThread()).isTrue();
    }

    /** Many threads, many rounds: never more inside than the capacity, and everyone gets in. */
    @Test
    void sixteenThreadsNeverExceedTheCapacity() throws Exception {
        int capacity = 3;
        WriterSlots slots = new WriterSlots(capacity, QueueWaits.NONE);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread t = new Thread(() -> {
                for (int round = 0; round < 500; round++) {
                    try {
                        assertThat(slots.enter(LONG_WAIT_MS, WriteQueue.FIFO, 0)).isTrue();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    entries.incrementAndGet();
                    inside.decrementAndGet();
                    slots.exit();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(LONG_WAIT_MS);
        }
        assertThat(entries).hasValue(16 * 500);
        assertThat(most.get()).isBetween(1, capacity);
        assertThat(slots.waiting()).isZero();
    }

    @Test
    void theSoleWriterLetsOneInAndCannotGrow() throws Exception {
        SoleWriter sole = new SoleWriter(QueueWaits.NONE);
        assertThat(sole.enter(0, WriteQueue.BOUNDED, 500)).isTrue();
        assertThat(enterOnAnotherThread(sole)).isFalse();
        sole.resize(1);
        assertThatThrownBy(() -> sole.resize(2)).isInstanceOf(IllegalArgumentException.class);
        sole.exit();
        assertThat(enterOnAnotherThread(sole)).isTrue();
    }

    /** @return whether another thread got in at once; it stays inside */
    private static boolean enterOnAnotherThread(WriterQueue queue) throws Exception {
        AtomicReference<Boolean> entered = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                entered.set(queue.enter(0, WriteQueue.FIFO, 0));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        t.join(LONG_WAIT_MS);
        return entered.get();
    }
}
