package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Eight threads of read-modify-write transactions at {@code SERIALIZABLE} on a few hot rows of
 * PostgreSQL, where serialization failures ({@code 40001}) and deadlocks ({@code 40P01}) are the
 * normal case, one server per trial ({@link PostgresTrial}):
 * <ul>
 * <li>{@code engine}: write units of an engine with {@code isolation=SERIALIZABLE},
 * {@code write.retries=15}, {@code write.retryBackoff=1}: the engine runs a failed unit again.</li>
 * <li>{@code raw}: a HikariCP pool of 10 over pgjdbc whose caller retries by hand with the same
 * policy: up to 15 more runs, waiting 1 ms before the first and twice as long before each next.</li>
 * </ul>
 * {@code ops} counts committed transactions, {@code errors} those that gave up.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(8)
public class SerializationRetryBenchmark {

    /** Rows the threads fight over. */
    private static final int HOT_ROWS = 16;
    private static final int RETRIES = 15;
    private static final long FIRST_WAIT_MILLIS = 1;

    @State(Scope.Benchmark)
    public static class EngineDb {
        PostgresTrial trial;
        Engine engine;

        @Setup(Level.Trial)
        public void open() {
            trial = PostgresTrial.start();
            engine = trial.engine(Map.of("isolation", "SERIALIZABLE", "write.retries", RETRIES,
                    "write.retryBackoff", FIRST_WAIT_MILLIS));
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("serializable engine");
            trial.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RawDb {
        PostgresTrial trial;
        HikariDataSource pool;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            trial = PostgresTrial.start();
            pool = trial.raw(10, "SERIALIZABLE");
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("serializable raw");
            trial.close();
        }
    }

    @Benchmark
    public int engine(EngineDb db, Counters counters) {
        int id = 1 + ThreadLocalRandom.current().nextInt(HOT_ROWS);
        try {
            int result = db.engine.connections().write(c -> Databases.readModifyWrite(c, id));
            counters.ops++;
            return result;
        } catch (EngineException e) {
            ErrorLog.note(e);
            counters.errors++;
            return -1;
        }
    }

    @Benchmark
    public int raw(RawDb db, Counters counters) throws InterruptedException {
        int id = 1 + ThreadLocalRandom.current().nextInt(HOT_ROWS);
        for (int run = 0;; run++) {
            try (Connection c = db.pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    int result = Databases.readModifyWrite(c, id);
                    c.commit();
                    counters.ops++;
                    return result;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                String state = String.valueOf(e.getSQLState());
                if (run >= RETRIES || !(state.equals("40001") || state.equals("40P01"))) {
                    ErrorLog.note(e);
                    counters.errors++;
                    return -1;
                }
                Thread.sleep(Math.min(FIRST_WAIT_MILLIS << run, 60_000));
            }
        }
    }
}
