package dev.sqliteengine.benchmarks;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * One operation of the mixed load that {@link MixedLoadBenchmark} (SQLite) and
 * {@link PostgresMixedLoadBenchmark} both run: on a random row of {@value Databases#ROWS}, a
 * read-modify-write {@value #WRITE_PERCENT}% of the time, else a point read. Through the engine,
 * or by hand on a pool. A failed operation is counted in {@code errors} and the thread goes on.
 */
final class MixedOperation {

    static final int WRITE_PERCENT = 20;

    private MixedOperation() {}

    /** Through the engine: a write unit or a read unit. */
    static int onEngine(Engine engine, Counters counters, WriteTimes times) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int id = 1 + random.nextInt(Databases.ROWS);
        try {
            int result;
            if (random.nextInt(100) < WRITE_PERCENT) {
                long start = times.start();
                result = engine.connections().write(c -> Databases.readModifyWrite(c, id));
                times.record(start);
                counters.writes++;
            } else {
                result = engine.connections().read(c -> Databases.pointRead(c, id));
            }
            counters.ops++;
            return result;
        } catch (EngineException e) {
            ErrorLog.note(e);
            counters.errors++;
            return -1;
        }
    }

    /** By hand on a pool: a read in auto-commit, or a write as setAutoCommit(false) … commit(). */
    static int byHand(DataSource pool, Counters counters, WriteTimes times) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return byHand(pool, 1 + random.nextInt(Databases.ROWS), random.nextInt(100) < WRITE_PERCENT, counters, times);
    }

    /** {@link #byHand(DataSource, Counters, WriteTimes)} on this row, reading or writing as told. */
    static int byHand(DataSource pool, int id, boolean write, Counters counters, WriteTimes times) {
        long start = times.start();
        try (Connection c = pool.getConnection()) {
            int result;
            if (write) {
                c.setAutoCommit(false);
                try {
                    result = Databases.readModifyWrite(c, id);
                    c.commit();
                } catch (SQLException e) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // HikariCP rolls back on return as well
                    }
                    throw e;
                }
                times.record(start);
                counters.writes++;
            } else {
                result = Databases.pointRead(c, id);
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
