package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * JDBC transactions through a {@link DataSource}, the way a framework runs them: every operation
 * checks a connection out, runs one manual-commit transaction and closes the connection. Eight
 * threads, a table {@code counters(id, v)} of {@value #ROWS} rows that all start at {@code v = 0}.
 * <ul>
 * <li>A <em>read-then-update</em> transaction: {@code setAutoCommit(false)};
 * {@code SELECT v FROM counters WHERE id = ?} (a random id); {@code UPDATE counters SET v = ? WHERE
 * id = ?} with the value read plus one; {@code commit()}; close.</li>
 * <li>A <em>read-only</em> transaction: {@code setReadOnly(true)}; {@code setAutoCommit(false)};
 * the same {@code SELECT}; {@code commit()}; close. If the driver refuses {@code setReadOnly(true)}
 * on an open connection (sqlite-jdbc does: "Cannot change read-only flag after establishing a
 * connection"), the transaction goes on without the flag, as Spring's {@code DataSourceUtils}
 * does; each refusal is counted and printed at the trial's end, not counted as a failure.</li>
 * </ul>
 * Two data sources, each on a new file:
 * <ul>
 * <li>{@code engine*}: {@code engine.dataSource()} of an engine created through the
 * {@code EngineFactory} with the engine's defaults (WAL, synchronous NORMAL, busy_timeout 5000,
 * {@code osgi.connection.max} 10, ...).</li>
 * <li>{@code tuned*}: a tuned HikariCP pool (10 connections, HikariCP defaults otherwise) over
 * sqlite-jdbc's {@code SQLiteDataSource} with the engine's pragmas ({@link Databases#tunedConfig()}:
 * WAL, synchronous NORMAL, busy_timeout 5000, ...) and sqlite-jdbc's default transaction mode,
 * DEFERRED.</li>
 * </ul>
 * A transaction that throws anywhere (check-out, statement, commit, close) is rolled back, counted
 * in {@code errors} and noted in the {@link ErrorLog}; {@code ops} counts only the ones that
 * succeeded. The primary score counts both, so read the {@code ops} and {@code errors} counters
 * next to it. At the trial's end the failures are printed by kind, and the sum of all counters is
 * checked against the number of read-then-update transactions whose {@code commit()} returned
 * (warm-up included): a sum below it is a lost update.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(8)
public class DataSourceTransactionBenchmark {

    /** Rows in {@code counters}; each transaction picks one id in 1..ROWS at random. */
    static final int ROWS = 100;

    /** Share of read-only transactions in the {@code *Mixed} benchmarks, in percent. */
    static final int READ_ONLY_PERCENT = 80;

    static final String CREATE = "CREATE TABLE IF NOT EXISTS counters(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)";
    static final String INSERT = "INSERT INTO counters(id, v) VALUES (?, 0)";
    static final String SELECT = "SELECT v FROM counters WHERE id = ?";
    static final String UPDATE = "UPDATE counters SET v = ? WHERE id = ?";
    static final String SUM = "SELECT COUNT(*), COALESCE(SUM(v), 0) FROM counters";

    /** What both kinds of data source share: the file, the trial's totals and the end-of-trial report. */
    abstract static class Db {
        Path dir;
        /** Read-then-update transactions whose {@code commit()} returned, warm-up included. */
        final LongAdder committedUpdates = new LongAdder();
        /** Read-only transactions whose {@code commit()} returned, warm-up included. */
        final LongAdder committedReads = new LongAdder();
        /** Transactions that threw, warm-up included. */
        final LongAdder failed = new LongAdder();
        /** {@code setReadOnly(true)} calls the driver refused (the transaction went on without it). */
        final LongAdder readOnlyRefused = new LongAdder();

        abstract DataSource dataSource();

        /** Prints the failures by kind, the totals and the check of the counters; does not throw. */
        void report(BenchmarkParams params) {
            String benchmark = params.getBenchmark();
            String trial = "ds " + benchmark.substring(benchmark.lastIndexOf('.') + 1);
            ErrorLog.printAndClear(trial);
            System.out.println("[" + trial + "] totals incl. warm-up: committed read-then-update "
                    + committedUpdates.sum() + ", committed read-only " + committedReads.sum()
                    + ", failed " + failed.sum() + ", setReadOnly(true) refused by the driver "
                    + readOnlyRefused.sum());
            try (Connection c = dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(SUM)) {
                r.next();
                long rows = r.getLong(1);
                long sum = r.getLong(2);
                long committed = committedUpdates.sum();
                String verdict = sum == committed ? "OK"
                        : sum < committed ? "LOST UPDATES: " + (committed - sum)
                        : "MISMATCH: " + (sum - committed) + " more increments than commits that returned";
                System.out.println("[" + trial + "] counter check: sum(v) over " + rows + " rows = " + sum
                        + ", committed read-then-update transactions = " + committed + ": " + verdict);
            } catch (SQLException | RuntimeException e) {
                System.out.println("[" + trial + "] counter check failed: " + e);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class EngineDs extends Db {
        /** write.queue for writers (units and DataSource transactions): fifo (the default), bounded or barging. */
        @Param({"fifo", "bounded", "barging"})
        public String queue;

        /** write.bargeLimit in µs, for the bounded queue. */
        @Param({"500"})
        public long bargeLimit;

        Engine engine;
        DataSource dataSource;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            dir = Databases.tempDir();
            engine = Databases.engine(dir, "ds-engine.db", Map.of("write.queue", queue, "write.bargeLimit", bargeLimit));
            dataSource = engine.dataSource();
            fill(dataSource);
        }

        @Override
        DataSource dataSource() {
            return dataSource;
        }

        @TearDown(Level.Trial)
        public void close(BenchmarkParams params) {
            report(params);
            if (engine != null) {
                engine.close();
            }
            Databases.deleteTree(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class TunedPool extends Db {
        HikariDataSource pool;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            dir = Databases.tempDir();
            // Databases.tunedConfig(): WAL, synchronous NORMAL, busy_timeout 5000 (and the engine's
            // other pragmas); the transaction mode stays sqlite-jdbc's default, DEFERRED.
            pool = Databases.hikari(Databases.driver(dir.resolve("ds-tuned.db"), Databases.tunedConfig()), 10, "tuned-ds");
            fill(pool);
        }

        @Override
        DataSource dataSource() {
            return pool;
        }

        @TearDown(Level.Trial)
        public void close(BenchmarkParams params) {
            report(params);
            if (pool != null) {
                pool.close();
            }
            Databases.deleteTree(dir);
        }
    }

    /** Creates {@code counters} with {@link #ROWS} rows at 0, in one manual-commit transaction. */
    static void fill(DataSource source) throws SQLException {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(CREATE);
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (int id = 1; id <= ROWS; id++) {
                    insert.setInt(1, id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    // ---- the benchmarks

    /** 8 threads, every operation a read-then-update transaction on {@code engine.dataSource()}. */
    @Benchmark
    public int engineReadUpdate(EngineDs db, Counters counters) {
        return readThenUpdate(db, counters);
    }

    /** 8 threads, every operation a read-then-update transaction on the tuned HikariCP pool. */
    @Benchmark
    public int tunedReadUpdate(TunedPool db, Counters counters) {
        return readThenUpdate(db, counters);
    }

    /** 8 threads, 80% read-only transactions and 20% read-then-update ones, on {@code engine.dataSource()}. */
    @Benchmark
    public int engineMixed(EngineDs db, Counters counters) {
        return mixed(db, counters);
    }

    /** 8 threads, 80% read-only transactions and 20% read-then-update ones, on the tuned HikariCP pool. */
    @Benchmark
    public int tunedMixed(TunedPool db, Counters counters) {
        return mixed(db, counters);
    }

    // ---- the transactions

    private static int mixed(Db db, Counters counters) {
        return ThreadLocalRandom.current().nextInt(100) < READ_ONLY_PERCENT
                ? readOnly(db, counters)
                : readThenUpdate(db, counters);
    }

    /** {@code setAutoCommit(false)}; SELECT v; UPDATE to v + 1; commit; close. Returns v, or -1 when it failed. */
    private static int readThenUpdate(Db db, Counters counters) {
        int id = 1 + ThreadLocalRandom.current().nextInt(ROWS);
        int v;
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                v = select(c, id);
                try (PreparedStatement s = c.prepareStatement(UPDATE)) {
                    s.setInt(1, v + 1);
                    s.setInt(2, id);
                    if (s.executeUpdate() != 1) {
                        throw new SQLException("UPDATE changed no row for id " + id);
                    }
                }
                c.commit();
                db.committedUpdates.increment();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            return failed(db, counters, e);
        }
        counters.ops++;
        return v;
    }

    /** {@code setReadOnly(true)} (if the driver accepts it); {@code setAutoCommit(false)}; SELECT v; commit; close. */
    private static int readOnly(Db db, Counters counters) {
        int id = 1 + ThreadLocalRandom.current().nextInt(ROWS);
        int v;
        try (Connection c = db.dataSource().getConnection()) {
            try {
                c.setReadOnly(true);
            } catch (SQLException refused) {
                // What Spring's DataSourceUtils does: the flag is a hint, the transaction goes on.
                db.readOnlyRefused.increment();
            }
            c.setAutoCommit(false);
            try {
                v = select(c, id);
                c.commit();
                db.committedReads.increment();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            return failed(db, counters, e);
        }
        counters.ops++;
        return v;
    }

    private static int select(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT)) {
            s.setInt(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no row for id " + id);
                }
                return r.getInt(1);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e); // the pool rolls back on close as well
        }
    }

    private static int failed(Db db, Counters counters, Exception e) {
        ErrorLog.note(e);
        db.failed.increment();
        counters.errors++;
        return -1;
    }
}
