package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * The cost of checking a connection out and returning it: {@code Engine.connect()} and the
 * engine's {@code DataSource} against a plain {@link HikariDataSource} over a {@code SQLiteDataSource} with the same pragmas on the same
 * file, and an empty read unit ({@code connections().read(c -> null)}), which adds the unit's
 * {@code BEGIN … COMMIT}. One thread.
 * <p>
 * A checkout with a prepared point read, what a framework does per request, is
 * {@link StatementCacheBenchmark}'s, with the engine's statement cache off and on.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@State(Scope.Benchmark)
public class CheckoutBenchmark {

    private Path dir;
    private Engine engine;
    private DataSource dataSource;
    private HikariDataSource raw;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        dir = Databases.tempDir();
        engine = Databases.engine(dir, "checkout.db", Map.of("osgi.connection.max", 8));
        Databases.fill(engine);
        dataSource = engine.dataSource();
        raw = Databases.hikari(Databases.driver(dir.resolve("checkout.db"), Databases.tunedConfig()), 8, "raw-checkout");
    }

    @TearDown(Level.Trial)
    public void close() {
        Databases.closeAll(dir, raw, engine);
    }

    @Benchmark
    public Connection engineConnect() throws SQLException {
        Connection c = engine.connect();
        c.close();
        return c;
    }

    @Benchmark
    public Connection engineDataSource() throws SQLException {
        Connection c = dataSource.getConnection();
        c.close();
        return c;
    }

    @Benchmark
    public Connection rawHikari() throws SQLException {
        Connection c = raw.getConnection();
        c.close();
        return c;
    }

    @Benchmark
    public Object engineReadUnit() {
        return engine.connections().read(c -> null);
    }
}
