package dev.sqliteengine.impl.engine;

import java.util.concurrent.atomic.LongAdder;

/** An engine's counters since it started; adders, since every unit of work touches them. */
final class EngineMetrics {
    final LongAdder commits = new LongAdder();
    final LongAdder rollbacks = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder reconfigurations = new LongAdder();
}
