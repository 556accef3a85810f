package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
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
 * {@link MixedLoadBenchmark}'s load on PostgreSQL (issue 20's goal: the engine at least 0.95x the
 * raw pool's operations with 0 errors): eight threads, 80% point reads by primary key and 20%
 * read-modify-write transactions (read a row's {@code n}, write back {@code n + 1}) on
 * {@value Databases#ROWS} rows, READ COMMITTED, one server per trial ({@link PostgresTrial}).
 * <ul>
 * <li>{@code engine}: an engine of {@code type=postgresql}: {@code connections().read} (a
 * read-only, one-snapshot transaction) and {@code connections().write} (a write unit), with
 * {@code osgi.connection.max=8} readers and the default {@code write.connections}.</li>
 * <li>{@code raw}: a HikariCP pool of 10 over pgjdbc, as an application would write it by hand:
 * reads in auto-commit, writes as {@code setAutoCommit(false)} … {@code commit()}.</li>
 * <li>{@code rawReadTransactions}: the same by hand, but each read in a transaction of its own
 * that sees one snapshot, as a read unit does: a second pool of 8, read-only,
 * {@code REPEATABLE READ}, auto-commit off, each read followed by {@code commit()}. Against
 * {@code raw}, what a read transaction costs; against {@code engine}, what the engine costs
 * beyond the same transactions.</li>
 * </ul>
 * Failed operations are counted in {@code errors} and the thread goes on.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(8)
public class PostgresMixedLoadBenchmark {


    @State(Scope.Benchmark)
    public static class EngineDb {
        PostgresTrial trial;
        Engine engine;

        @Setup(Level.Trial)
        public void open() {
            trial = PostgresTrial.start();
            engine = trial.engine(Map.of("osgi.connection.max", 8));
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("postgresql mixed engine");
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
            pool = trial.raw(10, null);
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("postgresql mixed raw");
            trial.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RawTransactionsDb {
        PostgresTrial trial;
        HikariDataSource writers;
        HikariDataSource readers;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            trial = PostgresTrial.start();
            writers = trial.raw(10, null);
            readers = trial.rawReaders(8);
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("postgresql mixed raw read transactions");
            trial.close();
        }
    }

    @Benchmark
    public int engine(EngineDb db, Counters counters, WriteTimes times) {
        return MixedOperation.onEngine(db.engine, counters, times);
    }

    @Benchmark
    public int raw(RawDb db, Counters counters, WriteTimes times) {
        return MixedOperation.byHand(db.pool, counters, times);
    }

    @Benchmark
    public int rawReadTransactions(RawTransactionsDb db, Counters counters, WriteTimes times) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int id = 1 + random.nextInt(Databases.ROWS);
        if (random.nextInt(100) < MixedOperation.WRITE_PERCENT) {
            return MixedOperation.byHand(db.writers, id, true, counters, times);
        }
        try (Connection c = db.readers.getConnection()) {
            try {
                int result = Databases.pointRead(c, id);
                c.commit();
                counters.ops++;
                return result;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            ErrorLog.note(e);
            counters.errors++;
            return -1;
        }
    }
}
