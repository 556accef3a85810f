package dev.sqliteengine.benchmarks;

import dev.sqliteengine.api.Engine;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Point reads by primary key through {@code connections().read} from 1, 2, 4 and 8 threads,
 * reader pool of 8 ({@code osgi.connection.max=8}). Scores are total operations over all threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class ReadScalingBenchmark {

    private Path dir;
    private Engine engine;

    @Setup(Level.Trial)
    public void open() {
        dir = Databases.tempDir();
        engine = Databases.engine(dir, "reads.db", Map.of("osgi.connection.max", 8));
        Databases.fill(engine);
    }

    @TearDown(Level.Trial)
    public void close() {
        if (engine != null) {
            engine.close();
        }
        Databases.deleteTree(dir);
    }

    private int read() {
        int id = 1 + ThreadLocalRandom.current().nextInt(Databases.ROWS);
        return engine.connections().read(c -> Databases.pointRead(c, id));
    }

    @Benchmark
    @Threads(1)
    public int threads1() {
        return read();
    }

    @Benchmark
    @Threads(2)
    public int threads2() {
        return read();
    }

    @Benchmark
    @Threads(4)
    public int threads4() {
        return read();
    }

    @Benchmark
    @Threads(8)
    public int threads8() {
        return read();
    }
}
