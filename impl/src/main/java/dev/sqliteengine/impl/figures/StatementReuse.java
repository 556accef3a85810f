package dev.sqliteengine.impl.figures;

import dev.sqliteengine.api.StatementCacheFigures;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine-wide side of its statement caches, which outlives pool generations: the count of
 * statements that may have changed the schema (a cache's statements prepared before the latest
 * one are stale, whichever generation ran it) and the figures.
 */
public final class StatementReuse {

    private final AtomicLong schemaChanges = new AtomicLong();
    private final LongAdder reused = new LongAdder();
    private final LongAdder prepared = new LongAdder();

    public long schemaEpoch() {
        return schemaChanges.get();
    }

    public void schemaChanged() {
        schemaChanges.incrementAndGet();
    }

    public void reused() {
        reused.increment();
    }

    public void prepared() {
        prepared.increment();
    }

    public StatementCacheFigures figures() {
        return new StatementCacheFigures(reused.sum(), prepared.sum());
    }
}
