package dev.sqliteengine.impl.settings;

import java.util.Locale;

/**
 * How the {@code WriterGate} orders writers ({@code write.queue}).
 * <p>
 * What it trades, on a machine where waking a parked thread costs more than a one-row unit:
 * every hand-off from one writer to a parked one costs a wake-up, and only a writer that is
 * already running can take the writer without one.
 */
public enum WriteQueue {

    /** First come, first served: every exit hands the writer to the longest waiter (a wake-up per unit). */
    FIFO,

    /**
     * A running thread may take a free writer ahead of the queue, but only while the queue's head
     * has been at the head for less than {@code write.bargeLimit}; after that, the head gets the
     * writer at the next exit, and nobody overtakes it. Waits stay bounded by the queue position
     * times (limit + the longest unit), and a writer runs many units per wake-up.
     */
    BOUNDED,

    /** Any thread that finds the writer free takes it; waiters are woken at every exit to try. No order. */
    BARGING;

    /** @return the lower-case name used in configurations */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the queue named {@code value} (any case), or null */
    static WriteQueue byConfigName(String value) {
        for (WriteQueue q : values()) {
            if (q.configName().equalsIgnoreCase(value.trim())) {
                return q;
            }
        }
        return null;
    }
}
