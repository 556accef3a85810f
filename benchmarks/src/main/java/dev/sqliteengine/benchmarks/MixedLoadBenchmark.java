package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
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
import org.sqlite.SQLiteConfig;

/**
 * Eight threads, 80% point reads by primary key and 20% read-modify-write units (read a row's
 * {@code n}, write back {@code n + 1}), on a table of {@value Databases#ROWS} rows.
 * <ul>
 * <li>{@code engine}: {@code connections().read} / {@code connections().write}, engine defaults
 * (WAL, busy_timeout 5000, ...), {@code osgi.connection.max=8}, with each {@code write.queue}.</li>
 * <li>{@code tuned}: a tuned HikariCP pool (10 connections) over sqlite-jdbc with the engine's
 * pragmas ({@link Databases#tunedConfig()}: WAL, busy_timeout 5000, ...) and sqlite-jdbc's
 * default DEFERRED transactions: writes as {@code setAutoCommit(false)} … {@code commit()}, reads
 * in auto-commit. A deferred read that then writes cannot upgrade while another connection
 * writes, so many of its writes fail with SQLITE_BUSY.</li>
 * <li>{@code naive}: the same with sqlite-jdbc's defaults apart from the journal: WAL, as the
 * engine, or DELETE, sqlite-jdbc's default.</li>
 * </ul>
 * Failed operations are caught, counted in {@code errors} and the thread goes on; {@code ops}
 * counts the ones that succeeded, {@code writes} the committed writes. The primary score counts
 * both; read {@code ops}, {@code writes} and {@code errors} beside it. {@link WriteTimes} prints
 * the write percentiles of each trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(8)
public class MixedLoadBenchmark {


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

        /** pragma.wal_autocheckpoint in pages (0: the committing writer never checkpoints; SQLite's default 1000). */
        @Param({"1000"})
        public int walAutocheckpoint;

        /** statement.cacheSize: prepared statements kept per connection (0: none). */
        @Param({"32"})
        public int statementCache;

        Path dir;
        Engine engine;

        @Setup(Level.Trial)
        public void open() {
            dir = Databases.tempDir();
            engine = Databases.engine(dir, "mixed-engine.db", Map.of("osgi.connection.max", 8, "write.queue", queue,
                    "write.bargeLimit", bargeLimit, "statement.cacheSize", statementCache, "write.groupCommit", groupCommit,
                    "pragma.wal_autocheckpoint", walAutocheckpoint));
            Databases.fill(engine);
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("mixed engine " + queue);
            if (engine != null) {
                engine.close();
            }
            Databases.deleteTree(dir);
        }
    }

    /** A HikariCP pool of 10 over sqlite-jdbc; the subclasses choose its configuration. */
    abstract static class PoolDb {
        Path dir;
        HikariDataSource pool;

        void open(SQLiteConfig config, String name) throws SQLException {
            dir = Databases.tempDir();
            pool = Databases.hikari(Databases.driver(dir.resolve(name + ".db"), config), 10, name);
            try (Connection c = pool.getConnection()) {
                Databases.fill(c);
            }
        }

        void close(String trial) {
            ErrorLog.printAndClear(trial);
            if (pool != null) {
                pool.close();
            }
            Databases.deleteTree(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class TunedDb extends PoolDb {
        @Setup(Level.Trial)
        public void open() throws SQLException {
            open(Databases.tunedConfig(), "mixed-tuned");
        }

        @TearDown(Level.Trial)
        public void close() {
            close("mixed tuned");
        }
    }

    @State(Scope.Benchmark)
    public static class NaiveDb extends PoolDb {
        /** WAL as the engine; DELETE is sqlite-jdbc's own default. */
        @Param({"WAL", "DELETE"})
        public String journal;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.valueOf(journal));
            open(config, "mixed-naive");
        }

        @TearDown(Level.Trial)
        public void close() {
            close("mixed naive " + journal);
        }
    }

    @Benchmark
    public int engine(EngineDb db, Counters counters, WriteTimes times) {
        return MixedOperation.onEngine(db.engine, counters, times);
    }

    @Benchmark
    public int tuned(TunedDb db, Counters counters, WriteTimes times) {
        return pooled(db, counters, times);
    }

    @Benchmark
    public int naive(NaiveDb db, Counters counters, WriteTimes times) {
        return pooled(db, counters, times);
    }

    private static int pooled(PoolDb db, Counters counters, WriteTimes times) {
        return MixedOperation.byHand(db.pool, counters, times);
    }
}
