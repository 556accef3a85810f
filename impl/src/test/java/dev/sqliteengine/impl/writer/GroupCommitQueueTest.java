package dev.sqliteengine.impl.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.impl.writer.GroupCommitQueue.Group;
import dev.sqliteengine.impl.writer.GroupCommitQueue.Outcome;
import dev.sqliteengine.impl.writer.GroupCommitQueue.Role;
import dev.sqliteengine.impl.writer.GroupCommitQueue.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The write units' queue on its own, without a database: who gets the turn, in which order, how
 * many units share one group, and that every unit of a group hears how it ended. Threads that
 * must be waiting are awaited through {@link GroupCommitQueue#waiting()}; nothing depends on how
 * fast anything runs.
 */
class GroupCommitQueueTest {

    private static final long LONG_WAIT_MS = 60_000;

    @Test
    void theFirstUnitLeadsAndUnitsQueuedMeanwhileJoinInTheOrderTheyQueued() throws Exception {
        GroupCommitQueue queue = new GroupCommitQueue(QueueWaits.NONE);
        Turn lead = queue.enter(0);
        assertThat(lead.role()).isEqualTo(Role.LEAD);
        assertThat(queue.heldByCurrentThread()).isTrue();

        List<String> order = new CopyOnWriteArrayList<>();
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        List<Thread> units = new ArrayList<>();
        List<String> arrival = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "unit-" + i;
            units.add(unit(queue, name, 8, order, outcomes));
            arrival.add(name);
            int queued = i + 1;
            await().until(() -> queue.waiting() == queued);
        }
        Group group = queue.passOn(lead, true, 8);
        assertThat(group).as("a unit waited: it joins the lead's transaction").isNotNull();
        assertThat(queue.heldByCurrentThread()).isFalse();
        assertThat(queue.awaitOutcome(group)).isEqualTo(Outcome.COMMITTED);
        for (Thread t : units) {
            t.join(LONG_WAIT_MS);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(order).containsExactlyElementsOf(arrival);
        assertThat(outcomes).hasSize(5).allSatisfy((name, outcome) -> assertThat(outcome).isEqualTo(Outcome.COMMITTED));
        assertThat(group.units()).isEqualTo(6);
        assertThat(queue.waiting()).isZero();
        Turn after = queue.enter(0);
        assertThat(after).as("the last unit gave the queue back").isNotNull();
        assertThat(after.role()).isEqualTo(Role.LEAD);
    }

    @Test
    void aFullGroupEndsAndTheNextWaiterLeadsTheNextOne() throws Exception {
        GroupCommitQueue queue = new GroupCommitQueue(QueueWaits.NONE);
        Turn lead = queue.enter(0);
        List<String> order = new CopyOnWriteArrayList<>();
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        List<Thread> units = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            units.add(unit(queue, "unit-" + i, 2, order, outcomes));
            int queued = i + 1;
            await().until(() -> queue.waiting() == queued);
        }
        Group first = queue.passOn(lead, true, 2);
        assertThat(first).isNotNull();
        assertThat(queue.awaitOutcome(first)).isEqualTo(Outcome.COMMITTED);
        for (Thread t : units) {
            t.join(LONG_WAIT_MS);
        }
        // lead + unit-0 in one group, then unit-1 leads with unit-2, then unit-3 leads alone
        assertThat(order).containsExactly("unit-0", "unit-1", "unit-2", "unit-3");
        assertThat(roles).containsEntry("unit-0", Role.JOIN).containsEntry("unit-1", Role.LEAD)
                .containsEntry("unit-2", Role.JOIN).containsEntry("unit-3", Role.LEAD);
    }

    @Test
    void theUnitsOfALostGroupGoBackAheadOfLaterUnitsAndEachRunsAlone() throws Exception {
        GroupCommitQueue queue = new GroupCommitQueue(QueueWaits.NONE);
        Turn lead = queue.enter(0);
        CountDownLatch ended = new CountDownLatch(1);
        Thread culprit = new Thread(() -> {
            try {
                Turn turn = queue.enter(LONG_WAIT_MS);
                assertThat(turn.role()).isEqualTo(Role.JOIN);
                // this unit made the database end the whole transaction: it fails, and ends the group lost
                queue.ended(turn, false, Outcome.LOST);
                ended.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "culprit");
        culprit.start();
        await().until(() -> queue.waiting() == 1);
        List<String> order = new CopyOnWriteArrayList<>();
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        Thread later = unit(queue, "later", 8, order, outcomes);
        await().until(() -> queue.waiting() == 2);

        Group group = queue.passOn(lead, true, 8);
        assertThat(group).isNotNull();
        assertThat(queue.awaitOutcome(group)).as("the lead's work went with the transaction").isEqualTo(Outcome.LOST);
        assertThat(ended.await(LONG_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
        queue.awaitTurnAgain(lead);
        assertThat(lead.role()).as("the lead runs again first, though 'later' waited meanwhile").isEqualTo(Role.LEAD);
        assertThat(lead.solo()).isTrue();
        assertThat(order).isEmpty();
        assertThat(queue.passOn(lead, true, 8)).as("nobody joins a unit that runs again alone").isNull();
        queue.ended(lead, true, Outcome.COMMITTED);
        later.join(LONG_WAIT_MS);
        assertThat(order).containsExactly("later");
        assertThat(roles).containsEntry("later", Role.LEAD);
    }

    @Test
    void aWaiterThatGivesUpLeavesNothingBehindAndTheNextOneStillGetsItsTurn() throws Exception {
        GroupCommitQueue queue = new GroupCommitQueue(QueueWaits.NONE);
        Turn lead = queue.enter(0);
        AtomicReference<Object> impatient = new AtomicReference<>();
        Thread gaveUp = new Thread(() -> {
            try {
                impatient.set(String.valueOf(queue.enter(1)));
            } catch (InterruptedException e) {
                impatient.set(e);
            }
        });
        gaveUp.start();
        gaveUp.join(LONG_WAIT_MS); // the queue stays held by this thread all the while
        assertThat(impatient.get()).isEqualTo("null");
        assertThat(queue.waiting()).isZero();

        AtomicReference<Object> interrupted = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                interrupted.set(queue.enter(LONG_WAIT_MS));
            } catch (InterruptedException e) {
                interrupted.set(e);
            }
        });
        first.start();
        await().until(() -> queue.waiting() == 1);
        List<String> order = new CopyOnWriteArrayList<>();
        Thread second = unit(queue, "second", 8, order, new ConcurrentHashMap<>());
        await().until(() -> queue.waiting() == 2);
        first.interrupt();
        first.join(LONG_WAIT_MS);
        assertThat(interrupted.get()).isInstanceOf(InterruptedException.class);
        assertThat(queue.waiting()).isOne();

        assertThat(queue.ended(lead, true, Outcome.COMMITTED)).as("the lead ran alone").isNull();
        second.join(LONG_WAIT_MS);
        assertThat(order).containsExactly("second");
        assertThat(roles).containsEntry("second", Role.LEAD);
    }

    /**
     * 16 threads run thousands of units with random outcomes, some giving up on a short wait:
     * never two units hold the queue at once, turns are granted in the order the units queued
     * (each granted ticket larger than the one before), no group holds more than its limit, and
     * every unit that ran to its end hears its group's outcome exactly as the group ended, and
     * exactly the units of lost groups run again. A unit sometimes holds its turn until another
     * waits (yielding, a bounded number of times), so that groups form however the machine
     * schedules the threads.
     */
    @Test
    void sixteenThreadsGetTheirTurnsInArrivalOrderAndEveryMemberHearsItsGroupsOutcome() throws Exception {
        GroupCommitQueue queue = new GroupCommitQueue(QueueWaits.NONE);
        int threads = 16;
        int rounds = 1_500;
        int limit = 4;
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong lastTicket = new AtomicLong(-1);
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger oversized = new AtomicInteger();
        AtomicInteger wrongOutcome = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        AtomicInteger reruns = new AtomicInteger();
        AtomicInteger requeued = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        /** How each group ended, as its last unit decided; members compare what they hear. */
        Map<Group, Outcome> decided = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean impatient = t % 5 == 0;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < rounds; i++) {
                        Turn turn = queue.enter(impatient ? 1 : LONG_WAIT_MS);
                        if (turn == null) {
                            gaveUp.incrementAndGet();
                            continue;
                        }
                        // The queue's holder: checked before anything else of this turn.
                        if (holding.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        if (turn.ticket <= lastTicket.getAndSet(turn.ticket)) {
                            outOfOrder.incrementAndGet();
                        }
                        if (turn.group() != null && turn.group().units() > limit) {
                            oversized.incrementAndGet();
                        }
                        ran.incrementAndGet();
                        boolean member = random.nextInt(10) != 0; // one in ten fails, undone alone
                        boolean lost = random.nextInt(50) == 0; // one in fifty ends the transaction
                        if (random.nextInt(4) == 0) {
                            for (int k = 0; k < 1_000 && queue.waiting() == 0; k++) {
                                Thread.yield(); // a unit that runs a while: someone queues behind it
                            }
                        }
                        holding.decrementAndGet();
                        if (lost) {
                            Group g = turn.group();
                            if (g != null) {
                                decided.put(g, Outcome.LOST);
                            }
                            queue.ended(turn, false, Outcome.LOST);
                            if (g != null) {
                                requeued.addAndGet(g.members.size());
                            }
                            continue;
                        }
                        Group group = queue.passOn(turn, member, limit);
                        boolean rerun = false;
                        if (group == null) {
                            // a commit that fails loses the group, the ending unit's work included
                            Outcome outcome = random.nextInt(20) == 0 ? Outcome.LOST : Outcome.COMMITTED;
                            Group g = turn.group();
                            if (g != null) {
                                decided.put(g, outcome);
                            }
                            queue.ended(turn, member, outcome);
                            rerun = g != null && member && outcome == Outcome.LOST;
                            if (g != null && outcome == Outcome.LOST) {
                                requeued.addAndGet(g.members.size());
                            }
                        } else if (member) {
                            Outcome heard = queue.awaitOutcome(group);
                            if (heard != decided.get(group)) {
                                wrongOutcome.incrementAndGet();
                            }
                            rerun = heard == Outcome.LOST;
                        }
                        if (rerun) {
                            // its work went with the group: it has its turn again, alone, and commits
                            queue.awaitTurnAgain(turn);
                            if (holding.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            if (!turn.solo() || turn.role() != Role.LEAD) {
                                wrongOutcome.incrementAndGet();
                            }
                            reruns.incrementAndGet();
                            holding.decrementAndGet();
                            if (queue.passOn(turn, true, limit) != null) {
                                wrongOutcome.incrementAndGet(); // nobody joins a unit that runs again alone
                            }
                            queue.ended(turn, true, Outcome.COMMITTED);
                        }
                        if (random.nextInt(8) == 0) {
                            Thread.yield();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "unit-" + t);
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (Thread worker : workers) {
            worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        assertThat(failure.get()).as("a worker failed (and may have left the others waiting)").isNull();
        assertThat(workers).allSatisfy(w -> assertThat(w.isAlive()).as(w.getName() + " finished").isFalse());
        assertThat(overlaps.get()).as("units holding the queue at once").isZero();
        assertThat(outOfOrder.get()).as("turns granted out of arrival order").isZero();
        assertThat(oversized.get()).as("groups over the limit").isZero();
        assertThat(wrongOutcome.get()).as("members that heard another outcome than their group's").isZero();
        assertThat(ran.get() + gaveUp.get()).isEqualTo(threads * rounds);
        assertThat(reruns.get()).as("some groups were lost, and their units ran again").isPositive()
                .as("exactly the units of lost groups ran again").isEqualTo(requeued.get());
        assertThat(queue.waiting()).isZero();
        assertThat(queue.enter(0)).as("every turn was given back").isNotNull();
    }

    private final Map<String, Role> roles = Collections.synchronizedMap(new java.util.HashMap<>());

    /**
     * Starts a unit that queues, records its name and role once it has the turn, passes the
     * transaction on if it can, else ends it committed, and records the outcome it hears.
     */
    private Thread unit(GroupCommitQueue queue, String name, int limit, List<String> order, Map<String, Outcome> outcomes) {
        Thread t = new Thread(() -> {
            try {
                Turn turn = queue.enter(LONG_WAIT_MS);
                order.add(name);
                roles.put(name, turn.role());
                Group group = queue.passOn(turn, true, limit);
                if (group != null) {
                    outcomes.put(name, queue.awaitOutcome(group));
                } else {
                    queue.ended(turn, true, Outcome.COMMITTED);
                    outcomes.put(name, Outcome.COMMITTED);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        return t;
    }
}
