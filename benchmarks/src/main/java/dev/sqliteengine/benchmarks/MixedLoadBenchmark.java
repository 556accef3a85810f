package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Eight threads, 80% point reads by primary key and 20% one-row write units (half inserts of a
 * new row, half updates of an existing one), on a table of {@value Databases#ROWS} rows.
 * <ul>
 * <li>{@code engine}: {@code connections().read} / {@code connections().write}, engine defaults
 * (WAL, busy_timeout 5000, ...), {@code osgi.connection.max=8}.</li>
 * <li>{@code naive}: HikariCP (10 connections) over sqlite-jdbc with its defaults: DEFERRED
 * transactions, default busy_timeout; writes as {@code setAutoCommit(false)} … {@code commit()},
 * reads in auto-commit. {@code journal} is the only setting changed: WAL, as the engine, or
 * DELETE, sqlite-jdbc's default.</li>
 * </ul>
 * Failed operations are caught, counted in {@code errors} and the thread goes on; {@code ops}
 * counts the ones that succeeded. The primary score counts both.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(8)
public class MixedLoadBenchmark {

    private static final int WRITE_PERCENT = 20;

    @State(Scope.Benchmark)
    public static class EngineDb {
        Path dir;
        Engine engine;
        final AtomicLong nextId = new AtomicLong(Databases.ROWS + 1L);

        @Setup(Level.Trial)
        public void open() {
            dir = Databases.tempDir();
            engine = Databases.engine(dir, "mixed-engine.db", Map.of("osgi.connection.max", 8));
            Databases.fill(engine);
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("mixed engine");
            if (engine != null) {
                engine.close();
            }
            Databases.deleteTree(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class NaiveDb {
        /** WAL as the engine; DELETE is sqlite-jdbc's own default. */
        @Param({"WAL", "DELETE"})
        public String journal;

        Path dir;
        HikariDataSource pool;
        final AtomicLong nextId = new AtomicLong(Databases.ROWS + 1L);

        @Setup(Level.Trial)
        public void open() throws SQLException {
            dir = Databases.tempDir();
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.valueOf(journal));
            pool = Databases.hikari(Databases.driver(dir.resolve("mixed-naive.db"), config), 10, "naive-mixed");
            try (Connection c = pool.getConnection()) {
                Databases.fill(c);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            ErrorLog.printAndClear("mixed naive " + journal);
            if (pool != null) {
                pool.close();
            }
            Databases.deleteTree(dir);
        }
    }

    @Benchmark
    public int engine(EngineDb db, Counters counters) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            int result;
            if (random.nextInt(100) < WRITE_PERCENT) {
                if (random.nextBoolean()) {
                    long id = db.nextId.getAndIncrement();
                    result = db.engine.connections().write(c -> Databases.insert(c, id));
                } else {
                    int id = 1 + random.nextInt(Databases.ROWS);
                    result = db.engine.connections().write(c -> Databases.update(c, id));
                }
            } else {
                int id = 1 + random.nextInt(Databases.ROWS);
                result = db.engine.connections().read(c -> Databases.pointRead(c, id));
            }
            counters.ops++;
            return result;
        } catch (EngineException e) {
            ErrorLog.note(e);
            counters.errors++;
            return -1;
        }
    }

    @Benchmark
    public int naive(NaiveDb db, Counters counters) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Connection c = db.pool.getConnection()) {
            int result;
            if (random.nextInt(100) < WRITE_PERCENT) {
                c.setAutoCommit(false);
                try {
                    if (random.nextBoolean()) {
                        result = Databases.insert(c, db.nextId.getAndIncrement());
                    } else {
                        result = Databases.update(c, 1 + random.nextInt(Databases.ROWS));
                    }
                    c.commit();
                } catch (SQLException e) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // HikariCP rolls back on return as well
                    }
                    throw e;
                }
            } else {
                result = Databases.pointRead(c, 1 + random.nextInt(Databases.ROWS));
            }
            counters.ops++;
            return result;
        } catch (SQLException e) {
            ErrorLog.note(e);
            counters.errors++;
            return -1;
        }
    }
}
