package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.StatementCacheFigures;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine-wide side of its statement caches, which outlives pool generations: the count of
 * statements that may have changed the schema (a cache's statements prepared before the latest
 * one are stale, whichever generation ran it) and the figures.
 */
final class StatementReuse {

    private final AtomicLong schemaChanges = new AtomicLong();
    private final LongAdder reused = new LongAdder();
    private final LongAdder prepared = new LongAdder();

    long schemaEpoch() {
        return schemaChanges.get();
    }

    void schemaChanged() {
        schemaChanges.incrementAndGet();
    }

    void reused() {
        reused.increment();
    }

    void prepared() {
        prepared.increment();
    }

    StatementCacheFigures figures() {
        return new StatementCacheFigures(reused.sum(), prepared.sum());
    }
}
