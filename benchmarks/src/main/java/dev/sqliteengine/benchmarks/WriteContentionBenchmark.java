package dev.sqliteengine.benchmarks;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One-row write units (an insert) from eight threads through the engine, which queues them for
 * its single writer, against one thread writing alone on one plain connection with the same
 * pragmas ({@code BEGIN IMMEDIATE; INSERT; COMMIT}). The queue should cost little: issue 21's goal
 * is ≥ 0.95× with a write p99 under eight writers at most 1.5× that of {@code write.queue=fifo}
 * without group commit ({@link WriteTimes} prints the percentiles of each trial), in one run:
 * {@code -p queue=fifo,bounded -p groupCommit=1,16}.
 * {@code engine1Thread} runs the engine's unit from one thread, to tell the unit's own overhead
 * from the cost of queueing eight threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WriteContentionBenchmark {

    @State(Scope.Benchmark)
    public static class EngineDb {
        /** write.queue: fifo, bounded (the default) or barging. */
        @Param({"fifo", "bounded", "barging"})
        public String queue;

        /** write.bargeLimit in µs, for the bounded queue. */
        @Param({"500"})
        public long bargeLimit;

        /** write.groupCommit: the most write units that share one commit (1: each commits alone; 16, the default). */
        @Param({"1", "16"})
        public int groupCommit;

        Path dir;
        Engine engine;

        @Setup(Level.Trial)
        public void open() {
            dir = Databases.tempDir();
            engine = Databases.engine(dir, "contention-engine.db",
                    Map.of("osgi.connection.max", 8, "write.queue", queue, "write.bargeLimit", bargeLimit, "write.groupCommit", groupCommit));
            Databases.fill(engine);
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("contention engine");
            if (engine != null) {
                engine.close();
            }
            Databases.deleteTree(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class PlainDb {
        Path dir;
        Connection connection;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            dir = Databases.tempDir();
            connection = Databases.driver(dir.resolve("contention-plain.db"), Databases.tunedConfig()).getConnection();
            Databases.fill(connection);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            if (connection != null) {
                connection.close();
            }
            Databases.deleteTree(dir);
        }
    }

    @Benchmark
    @Threads(8)
    public int engine8Threads(EngineDb db, Counters counters, WriteTimes times) {
        long start = times.start();
        try {
            int n = db.engine.connections().write(Databases::insertAutoId);
            times.record(start);
            counters.ops++;
            return n;
        } catch (EngineException e) {
            ErrorLog.note(e);
            counters.errors++;
            return -1;
        }
    }

    /** The same write unit from one thread: the unit's own cost, without any queueing. */
    @Benchmark
    @Threads(1)
    public int engine1Thread(EngineDb db, Counters counters, WriteTimes times) {
        return engine8Threads(db, counters, times);
    }

    @Benchmark
    @Threads(1)
    public int plain1Thread(PlainDb db) throws SQLException {
        Connection c = db.connection;
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        int n = Databases.insertAutoId(c);
        try (Statement s = c.createStatement()) {
            s.execute("COMMIT");
        }
        return n;
    }
}
