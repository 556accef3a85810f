package dev.sqliteengine.impl.writer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue of write units in front of the {@link WriterGate}, which lets the units that wait
 * while another one runs join its transaction: group commit. It knows no connection and no
 * transaction; it says whose turn it is, and tells the units of a group how the group ended.
 * <p>
 * One turn at a time holds this queue. The first unit that finds it free is granted
 * {@link Role#LEAD}: it enters the gate, begins a transaction on the writer and runs. When a
 * unit's work is done and the transaction is still open, {@link #passOn} grants the next waiter
 * {@link Role#JOIN}: it runs in the same transaction, under a savepoint of its own, while the
 * unit before it waits for the {@link Outcome} of the group. When nobody waits (or the group is
 * full), the unit that ran last ends the
 * transaction, gives back the writer and calls {@link #ended}: the group's units learn the
 * outcome, and the next waiter is granted {@link Role#LEAD}.
 * <p>
 * Hand-offs cost no wake-up when they can: the first waiter (the head) waits running for a while
 * ({@link #spin}) before it parks, and is woken to do so as soon as it becomes the head, so it
 * is usually running when its turn comes. Only the head spins: at most one thread per queue.
 * <p>
 * Invariants (held under {@link #lock}, checked by {@link #consistent()} under -ea):
 * <ul>
 * <li>At most one turn holds the queue ({@link #holder}); while nobody holds it, nobody waits:
 * whoever frees it grants the head at once, so no waiter is left with nobody to wake it.</li>
 * <li>FIFO without exception: turns are granted (lead or join) in the order they queued, and a
 * newcomer never takes the queue while anyone waits. {@link #lastGranted} holds the ticket of the
 * last grant; every grant's ticket is larger (asserted).</li>
 * <li>A group never holds more than its limit of units and ends exactly once; a unit of a group
 * waits for its outcome only after it ran. A unit whose group was lost goes back ahead of every
 * unit that queued after it, and runs in a group of its own ({@link Turn#solo()}).</li>
 * </ul>
 * What the order costs and what it bounds: a unit waits for the units queued before it, and, in a
 * group, for at most {@code limit - 1} units after it before its commit. It serves a database with
 * one writer (SQLite), in front of its {@link SoleWriter}: its groups go through the writer queue
 * one at a time. A database with several writers (PostgreSQL, {@link WriterSlots}) has no use for
 * it: its units run side by side.
 * <p>
 * Why one class of this size: the waiting units, the holder, the head that spins, the groups and
 * their outcomes are one state under one lock, and every method is a transition of it whose
 * invariants {@link #consistent()} checks together; {@link Turn} and {@link Group} are that
 * state's records, nested so that only this class writes them.
 */
public final class GroupCommitQueue {

    /** What a granted turn does. */
    public enum Role {
        /** Enter the gate and begin a transaction on the writer: nobody else's work is in it. */
        LEAD,
        /** Run in the open transaction of the {@link Turn#group()}, after the units before it. */
        JOIN
    }

    /** How a group's transaction ended, for the units that ran in it and wait. */
    public enum Outcome {
        /** Committed: every unit that ran to its end in the group is durable. */
        COMMITTED,
        /**
         * Rolled back for a reason that was not the waiting unit's own (another unit made the
         * database end the transaction, or the commit failed): its work is gone, and it must run
         * again, on its own (without this queue).
         */
        LOST
    }

    /** One unit's place in the queue; confined to its thread apart from what the lock guards. */
    public static final class Turn {
        final Thread thread;
        final long ticket;
        /** When it queued ({@link System#nanoTime()}): a lead's wait at the gate is recorded from here. */
        final long queued;
        /** Null while waiting; written under the lock, read by the turn's thread without it. */
        volatile Role granted;
        /** The group it joined, or leads once it passed on; written under the lock before {@link #granted}. */
        Group group;
        /** Whether it spun already as the head; confined to its thread. */
        boolean spun;
        /** Set under the lock when its group was lost: it runs again in a group of its own. */
        boolean solo;

        Turn(Thread thread, long ticket, long queued) {
            this.queued = queued;
            this.thread = thread;
            this.ticket = ticket;
        }

        /** @return what this turn was granted */
        public Role role() {
            return granted;
        }

        /** @return when it queued, {@link System#nanoTime()} */
        public long queued() {
            return queued;
        }

        /** @return whether it runs again, alone, after its group was lost: nobody joins it */
        public boolean solo() {
            return solo;
        }

        /** @return the group it joined, or that it led and passed on; null for a lead that has not passed on */
        public Group group() {
            return group;
        }
    }

    /** The units that share one transaction. */
    public static final class Group {
        /** Units granted in it, its leader included. Under the lock. */
        int units;
        /** Units that ran to their end and wait for the outcome (the last one, once it ended). Under the lock. */
        final List<Turn> members = new ArrayList<>();
        volatile Outcome outcome;

        /** @return the units run in this group so far, for figures and tests */
        public int units() {
            return units;
        }
    }

    /** How long the next in line spins before it parks: about a one-row unit on a small machine. */
    static final long SPIN_NANOS = 50_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.LinkedList<Turn> waiting = new java.util.LinkedList<>();
    private final QueueWaits waits;
    /** The turn that holds the queue: a lead until its group closes, or the joined unit that runs. */
    private volatile Turn holder;
    /** The first waiter, or null: the one that spins. Written under the lock. */
    private volatile Turn head;
    private long tickets;
    private long lastGranted = -1;

    /**
     * @param waits where the wait of each unit granted {@link Role#JOIN}, and of each that gave
     *        up, is recorded; a {@link Role#LEAD} goes on waiting at the gate, which records its
     *        whole wait (see {@link WriterGate#enter(long, dev.sqliteengine.impl.settings.WriteQueue, long, long)})
     */
    public GroupCommitQueue(QueueWaits waits) {
        this.waits = waits;
    }

    /**
     * Queues for a turn.
     *
     * @param timeoutMillis how long to wait
     * @return the granted turn, or null when the time ran out
     * @throws InterruptedException when the waiting thread is interrupted (it was granted nothing)
     */
    public Turn enter(long timeoutMillis) throws InterruptedException {
        long queued = System.nanoTime();
        Turn turn;
        lock.lock();
        try {
            turn = new Turn(Thread.currentThread(), tickets++, queued);
            if (holder == null) {
                assert waiting.isEmpty() : "nobody holds the write queue, yet units wait";
                grant(turn, Role.LEAD, null);
                return turn;
            }
            if (timeoutMillis <= 0) {
                waits.queued(queued, false);
                return null;
            }
            waiting.addLast(turn);
            if (head == null) {
                head = turn;
            }
            assert consistent();
        } finally {
            lock.unlock();
        }
        boolean granted = await(turn, queued + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        if (!granted || turn.granted == Role.JOIN) {
            waits.queued(queued, granted);
        }
        return granted ? turn : null;
    }

    private boolean await(Turn turn, long deadline) throws InterruptedException {
        if (head == turn) {
            spin(turn);
        }
        while (turn.granted == null) {
            if (head == turn && !turn.spun) {
                spin(turn); // woken early, as the next in line: be running when the turn comes
            }
            if (Thread.interrupted()) {
                if (giveUp(turn)) {
                    Thread.currentThread().interrupt();
                    return true; // granted meanwhile: the caller runs its turn and sees the flag
                }
                throw new InterruptedException();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return giveUp(turn);
            }
            LockSupport.parkNanos(this, left);
        }
        return true;
    }

    /**
     * The next in line waits running, for a while, instead of parked: a hand-off to a running
     * thread takes a memory write, to a parked one a wake-up that costs more than a short unit
     * on a busy machine. Only the head spins, at most {@link #SPIN_NANOS} once per turn, so at
     * most one thread spins per queue; and it yields the processor at every look at the clock, so
     * that the units its group just woke (to return their results) run at once rather than after
     * a time slice of the spinner's: on two cores, spinning without yielding cost a third of the
     * write p99 (BENCHMARKS.md, issue 21).
     */
    private void spin(Turn turn) {
        turn.spun = true;
        long until = System.nanoTime() + SPIN_NANOS;
        for (int i = 1; turn.granted == null; i++) {
            Thread.onSpinWait();
            if ((i & 63) == 0) {
                if (System.nanoTime() - until > 0) {
                    return;
                }
                Thread.yield();
            }
        }
    }

    /** @return true when the turn was granted before it could give up (it holds the queue) */
    private boolean giveUp(Turn turn) {
        Thread wake;
        lock.lock();
        try {
            if (turn.granted != null) {
                return true;
            }
            waiting.remove(turn);
            wake = newHead();
            assert consistent();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(wake);
        return false;
    }

    /**
     * After the first waiter left: the next one becomes the head, to be woken so that it spins.
     * Under the lock. @return the thread to wake, or null
     */
    private Thread newHead() {
        Turn first = waiting.peekFirst();
        if (first == head) {
            return null;
        }
        head = first;
        return first == null ? null : first.thread;
    }

    /**
     * The unit of {@code turn} ran (to its end, or failed and was undone to its savepoint), and
     * the transaction is still open: hands it to the next waiter, if the group may take one.
     *
     * @param member whether the unit ran to its end, so that it waits for the group's outcome
     * @param limit how many units the group may hold
     * @return the group, when the next unit got the transaction (a member then
     *         {@link #awaitOutcome}s it); null when the caller must end the transaction
     */
    public Group passOn(Turn turn, boolean member, int limit) {
        Turn next;
        Group group;
        Thread spinner;
        lock.lock();
        try {
            assert holder == turn : "a unit passed on a write transaction it does not hold";
            next = waiting.peekFirst();
            group = turn.group;
            int units = group == null ? 1 : group.units;
            if (next == null || turn.solo || next.solo || units >= limit) {
                return null;
            }
            waiting.pollFirst();
            if (group == null) {
                group = new Group();
                group.units = 1;
                turn.group = group;
            }
            if (member) {
                group.members.add(turn);
            }
            group.units++;
            grant(next, Role.JOIN, group);
            spinner = newHead();
            assert consistent();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(next.thread);
        LockSupport.unpark(spinner);
        return group;
    }

    /**
     * The transaction of {@code turn} has ended (committed, or rolled back) and the unit gave
     * back the writer: the units of its group that wait learn the outcome, and the next waiter,
     * if any, is granted {@link Role#LEAD}. It is granted only now, not when the commit starts,
     * so that it finds the gate free: the next in line spins ({@link #spin}), and a grant it sees
     * at once costs no wake-up, where a lead that waited at the gate for the commit would be
     * parked there and need one.
     * <p>
     * When the group is {@link Outcome#LOST}, its members go back to the front of the queue, in
     * the order they first queued and ahead of everyone who queued after them, each to run again
     * {@link Turn#solo() alone}: whatever made the group fail (a unit whose work made the commit
     * fail, say) then fails only its own unit. They wait for that turn with {@link #awaitTurnAgain}.
     *
     * @param member whether the unit of {@code turn} ran to its end and its work was part of what ended
     * @param outcome how the transaction ended, for the units of the group
     * @return the group that ended, or null when the unit ran alone
     */
    public Group ended(Turn turn, boolean member, Outcome outcome) {
        Turn next;
        Group group;
        List<Turn> members = List.of();
        Thread spinner = null;
        lock.lock();
        try {
            assert holder == turn : "a unit ended a write transaction it does not hold";
            group = turn.group;
            if (group != null) {
                assert group.outcome == null : "a group of write units ended twice";
                if (member) {
                    group.members.add(turn);
                }
                members = List.copyOf(group.members);
                if (outcome == Outcome.LOST && !members.isEmpty()) {
                    requeue(members);
                }
                group.outcome = outcome;
            }
            holder = null;
            next = waiting.pollFirst();
            if (next != null) {
                grant(next, Role.LEAD, null);
                spinner = newHead();
            }
            assert consistent();
        } finally {
            lock.unlock();
        }
        if (next != null) {
            LockSupport.unpark(next.thread);
            LockSupport.unpark(spinner);
        }
        for (Turn m : members) {
            if (m != turn) {
                LockSupport.unpark(m.thread);
            }
        }
        return group;
    }

    /**
     * Puts the members of a lost group back at the front of the queue, in ticket order, to run
     * alone. Under the lock. They queued before every waiter, so the grants stay in ticket order
     * once {@link #lastGranted} goes back to just before the first of them.
     */
    private void requeue(List<Turn> members) {
        List<Turn> lost = new ArrayList<>(members);
        lost.sort(java.util.Comparator.comparingLong(t -> t.ticket));
        for (int i = lost.size() - 1; i >= 0; i--) {
            Turn t = lost.get(i);
            t.solo = true;
            t.granted = null;
            t.spun = false;
            waiting.addFirst(t);
        }
        assert waiting.size() == lost.size() || waiting.get(lost.size()).ticket > lost.get(lost.size() - 1).ticket
                : "a lost write unit went back behind one that queued before it";
        lastGranted = lost.get(0).ticket - 1;
        head = waiting.peekFirst();
    }

    /**
     * Waits, uninterruptibly (its work is in the transaction whatever happens), for the outcome
     * of {@code group}, which the unit ran in; the interrupt flag is restored.
     */
    public Outcome awaitOutcome(Group group) {
        boolean interrupted = false;
        Outcome outcome;
        while ((outcome = group.outcome) == null) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome;
    }

    /**
     * After its group was {@link Outcome#LOST}: waits, uninterruptibly, for the unit's new turn
     * ({@link Role#LEAD}, alone), which comes before the turn of anyone who queued after it.
     */
    public void awaitTurnAgain(Turn turn) {
        assert turn.solo : "only a unit of a lost group queues again";
        boolean interrupted = false;
        while (turn.granted == null) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether the calling thread's unit holds the queue (so a write of it here would wait for itself) */
    public boolean heldByCurrentThread() {
        Turn h = holder;
        return h != null && h.thread == Thread.currentThread();
    }

    /** @return the units waiting, for error messages and status */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. */
    private void grant(Turn turn, Role role, Group group) {
        assert turn.ticket > lastGranted : "write units granted out of order: " + turn.ticket + " after " + lastGranted;
        lastGranted = turn.ticket;
        turn.group = group;
        holder = turn;
        turn.granted = role;
    }

    /** The invariants of the class comment that one look can check. Under the lock. */
    private boolean consistent() {
        if (holder == null && !waiting.isEmpty()) {
            throw new AssertionError("units wait for a write queue that nobody holds");
        }
        if (head != waiting.peekFirst()) {
            throw new AssertionError("the write queue's head is not its first waiter");
        }
        long previous = lastGranted;
        for (Turn t : waiting) {
            if (t.granted != null || t == holder || t.ticket <= previous) {
                throw new AssertionError("a waiting write unit was granted, holds the queue, or waits out of order");
            }
            previous = t.ticket;
        }
        Group g = holder == null ? null : holder.group;
        if (g != null && (g.outcome != null || g.members.size() >= g.units)) {
            throw new AssertionError("a write unit runs in a group that ended or has no room for it");
        }
        return true;
    }
}
