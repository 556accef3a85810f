package dev.sqliteengine.impl.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.impl.settings.WriteQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The writer gate on its own, with threads and a clock the test moves by hand ({@code write.queue}
 * orders, the barge limit's bound, mutual exclusion under many threads). No assertion depends on
 * how fast anything runs: the clock of the barge limit is the test's, and waits are awaited.
 */
class WriterGateTest {

    private static final long LIMIT_MICROS = 1_000;
    private static final long LONG_WAIT_MS = 60_000;

    /** A clock for the barge limit that stands still until the test moves it. */
    private final AtomicLong clock = new AtomicLong();

    @Test
    void withTheBoundedQueueANewcomerOvertakesTheHeadOnlyUntilTheHeadHasWaitedTheBargeLimit() throws Exception {
        WriterGate gate = new WriterGate(clock::get);
        assertThat(gate.enter(0, WriteQueue.BOUNDED, LIMIT_MICROS)).isTrue();
        CountDownLatch headEntered = new CountDownLatch(1);
        CountDownLatch headMayLeave = new CountDownLatch(1);
        Thread head = holdingWaiter(gate, WriteQueue.BOUNDED, headEntered, headMayLeave);
        await().until(() -> gate.waiting() == 1);

        assertThat(gate.admitsNewcomer()).as("the head has waited 0 of 1 ms: a running writer may take a free gate").isTrue();
        clock.addAndGet(LIMIT_MICROS * 1_000L - 1);
        assertThat(gate.admitsNewcomer()).isTrue();
        clock.addAndGet(1);
        assertThat(gate.admitsNewcomer()).as("the head has waited the limit: nobody may overtake it").isFalse();

        exitHandsOver(gate, WriteQueue.BOUNDED, head, headEntered, headMayLeave);
    }

    @Test
    void theFifoQueueNeverLetsANewcomerTakeTheGateWhileAnyoneWaits() throws Exception {
        WriterGate gate = new WriterGate(clock::get);
        assertThat(gate.enter(0, WriteQueue.FIFO, LIMIT_MICROS)).isTrue();
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch firstMayLeave = new CountDownLatch(1);
        Thread first = holdingWaiter(gate, WriteQueue.FIFO, firstEntered, firstMayLeave);
        await().until(() -> gate.waiting() == 1);
        assertThat(gate.admitsNewcomer()).isFalse();

        exitHandsOver(gate, WriteQueue.FIFO, first, firstEntered, firstMayLeave);
    }

    /**
     * Waiters queued one after the other get the gate in that order: always with FIFO, and with
     * BOUNDED once each head has waited past the limit (this clock jumps past it at every look).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WriteQueue.class, names = {"FIFO", "BOUNDED"})
    void waitersPastTheLimitAreServedInArrivalOrder(WriteQueue queue) throws Exception {
        WriterGate gate = new WriterGate(() -> clock.addAndGet(LIMIT_MICROS * 1_000L));
        assertThat(gate.enter(0, queue, LIMIT_MICROS)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        List<String> arrival = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = "writer-" + i;
            threads.add(waiter(gate, queue, order, name));
            arrival.add(name);
            int queued = i + 1;
            await().until(() -> gate.waiting() == queued);
        }
        gate.exit();
        for (Thread t : threads) {
            t.join(LONG_WAIT_MS);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(order).containsExactlyElementsOf(arrival);
        assertThat(gate.waiting()).isZero();
        assertThat(gate.enter(0, queue, LIMIT_MICROS)).as("the last one left the gate free").isTrue();
    }

    /**
     * 16 threads enter and leave thousands of times, some with timeouts short enough to give up
     * and some interrupted while they wait: never two inside at once, every entry left, and the
     * gate's own assertions (-ea) hold throughout.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(WriteQueue.class)
    void sixteenThreadsNeverHoldTheGateTogether(WriteQueue queue) throws Exception {
        WriterGate gate = new WriterGate();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int threads = 16;
        int rounds = 2_000;
        long[] counter = {0}; // guarded by the gate alone
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean impatient = t % 4 == 0;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    running.countDown();
                    for (int i = 0; i < rounds; i++) {
                        boolean entered;
                        try {
                            entered = gate.enter(impatient ? 1 : LONG_WAIT_MS, queue, LIMIT_MICROS);
                        } catch (InterruptedException e) {
                            gaveUp.incrementAndGet();
                            continue;
                        }
                        if (!entered) {
                            gaveUp.incrementAndGet();
                            continue;
                        }
                        Thread.interrupted(); // an interrupt that came after the grant
                        try {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            assertThat(gate.heldByCurrentThread()).isTrue();
                            counter[0]++;
                            entries.incrementAndGet();
                            if (ThreadLocalRandom.current().nextInt(8) == 0) {
                                Thread.yield();
                            }
                            inside.decrementAndGet();
                        } finally {
                            gate.exit();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "gate-" + t);
            workers.add(worker);
            worker.start();
        }
        Thread interrupter = new Thread(() -> {
            while (workers.stream().anyMatch(Thread::isAlive)) {
                workers.get(ThreadLocalRandom.current().nextInt(threads)).interrupt();
                java.util.concurrent.locks.LockSupport.parkNanos(100_000); // pacing only: no test outcome waits on it
            }
        });
        start.countDown();
        running.await(); // interrupts begin once every worker is past the start line
        interrupter.start();
        for (Thread worker : workers) {
            worker.join(Duration.ofMinutes(2).toMillis());
            assertThat(worker.isAlive()).as(worker.getName() + " finished").isFalse();
        }
        interrupter.join();
        assertThat(failure.get()).isNull();
        assertThat(overlaps.get()).isZero();
        assertThat(entries.get() + gaveUp.get()).isEqualTo(threads * rounds);
        assertThat(counter[0]).isEqualTo(entries.get());
        assertThat(gate.waiting()).isZero();
        assertThat(gate.enter(0, queue, LIMIT_MICROS)).as("every entry was left").isTrue();
    }

    @Test
    void aWaiterThatIsInterruptedLeavesTheQueueAndTheNextOneMovesUp() throws Exception {
        WriterGate gate = new WriterGate(clock::get);
        assertThat(gate.enter(0, WriteQueue.FIFO, LIMIT_MICROS)).isTrue();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                outcome.set(gate.enter(LONG_WAIT_MS, WriteQueue.FIFO, LIMIT_MICROS));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });
        first.start();
        await().until(() -> gate.waiting() == 1);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread second = waiter(gate, WriteQueue.FIFO, order, "second");
        await().until(() -> gate.waiting() == 2);

        first.interrupt();
        first.join(LONG_WAIT_MS);
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(gate.waiting()).isOne();

        gate.exit();
        second.join(LONG_WAIT_MS);
        assertThat(order).containsExactly("second");
    }

    @Test
    void aWaiterWhoseTimeoutPassesGetsFalseAndLeavesNothingBehind() throws Exception {
        WriterGate gate = new WriterGate(clock::get);
        assertThat(gate.enter(0, WriteQueue.BOUNDED, LIMIT_MICROS)).isTrue();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread impatient = new Thread(() -> {
            try {
                outcome.set(gate.enter(1, WriteQueue.BOUNDED, LIMIT_MICROS));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });
        impatient.start();
        impatient.join(LONG_WAIT_MS); // the gate stays held by this thread all the while
        assertThat(outcome.get()).isEqualTo(false);
        assertThat(gate.waiting()).isZero();
        gate.exit();
        assertThat(gate.enter(0, WriteQueue.BOUNDED, LIMIT_MICROS)).isTrue();
    }

    /**
     * The test thread leaves the gate with one waiter queued: the gate goes straight to the waiter,
     * never free in between, so a newcomer right after the exit does not get in.
     */
    private static void exitHandsOver(WriterGate gate, WriteQueue queue, Thread waiter, CountDownLatch entered,
            CountDownLatch mayLeave) throws InterruptedException {
        gate.exit();
        assertThat(gate.enter(0, queue, LIMIT_MICROS)).as("a newcomer right after the hand-over").isFalse();
        entered.await();
        mayLeave.countDown();
        waiter.join(LONG_WAIT_MS);
        assertThat(waiter.isAlive()).isFalse();
    }

    /** Starts a thread that waits for the gate, says when it is inside, and leaves when told. */
    private static Thread holdingWaiter(WriterGate gate, WriteQueue queue, CountDownLatch entered, CountDownLatch mayLeave) {
        Thread t = new Thread(() -> {
            try {
                if (gate.enter(LONG_WAIT_MS, queue, LIMIT_MICROS)) {
                    try {
                        entered.countDown();
                        mayLeave.await();
                    } finally {
                        gate.exit();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        return t;
    }

    /** Starts a thread that waits for the gate, records its name once inside and leaves. */
    private static Thread waiter(WriterGate gate, WriteQueue queue, List<String> order, String name) {
        Thread t = new Thread(() -> {
            try {
                if (gate.enter(LONG_WAIT_MS, queue, LIMIT_MICROS)) {
                    order.add(name);
                    gate.exit();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }
}
