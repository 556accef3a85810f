package dev.sqliteengine.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread counts that JMH sums over the threads and reports next to the primary score:
 * {@code ops} (operations that succeeded), {@code errors} (operations that threw) and
 * {@code writes} (committed writes, in the benchmarks that count them apart), each as a total
 * per iteration.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class Counters {

    public long ops;
    public long errors;
    public long writes;

    @Setup(Level.Iteration)
    public void reset() {
        ops = 0;
        errors = 0;
        writes = 0;
    }
}
