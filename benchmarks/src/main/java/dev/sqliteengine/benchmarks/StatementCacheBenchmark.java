package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prepared-statement cache ({@code statement.cacheSize}) on what a framework does per
 * request: check a connection out, prepare one point read, run it, close everything. Through
 * {@code Engine.connect()} and through a read unit, with the cache off ({@code 0}) and on, against
 * raw HikariCP over the same file (which prepares every time: HikariCP keeps no statements).
 * Random ids over the filled table, one thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@State(Scope.Benchmark)
public class StatementCacheBenchmark {

    /** statement.cacheSize of the engine. */
    @Param({"0", "32"})
    public int statementCache;

    private Path dir;
    private Engine engine;
    private HikariDataSource raw;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        dir = Databases.tempDir();
        engine = Databases.engine(dir, "statements.db", Map.of("osgi.connection.max", 8,
                "statement.cacheSize", statementCache));
        Databases.fill(engine);
        raw = Databases.hikari(Databases.driver(dir.resolve("statements.db"), Databases.tunedConfig()), 8,
                "raw-statements");
    }

    @TearDown(Level.Trial)
    public void close() {
        Databases.closeAll(dir, raw, engine);
    }

    private static int id() {
        return 1 + ThreadLocalRandom.current().nextInt(Databases.ROWS);
    }

    @Benchmark
    public int engineConnectPointRead() throws SQLException {
        try (Connection c = engine.connect()) {
            return Databases.pointRead(c, id());
        }
    }

    @Benchmark
    public int engineReadUnitPointRead() {
        int id = id();
        return engine.connections().read(c -> Databases.pointRead(c, id));
    }

    @Benchmark
    public int rawHikariPointRead() throws SQLException {
        try (Connection c = raw.getConnection()) {
            return Databases.pointRead(c, id());
        }
    }
}
