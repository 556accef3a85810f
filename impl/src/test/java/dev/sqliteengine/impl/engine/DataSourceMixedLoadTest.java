package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Eight threads using the {@code DataSource} the plain JDBC way, alone and together with units of
 * work: read-then-update transactions, read-only snapshot transactions and auto-commit inserts.
 * With one transaction discipline on every path nothing fails (the engine defaults queue every
 * writer instead of letting it meet SQLITE_BUSY or a lock timeout), no update is lost and every
 * acknowledged row survives a restart. On PostgreSQL the writers run side by side (ten at once,
 * at READ_COMMITTED), so a read-then-update reads {@code FOR UPDATE}, as it must there. Runs a
 * bounded number of operations (and at most a minute); asserts no timings.
 */
@OnEveryDatabaseType
class DataSourceMixedLoadTest {

    private static final int THREADS = 8;
    private static final int OPERATIONS = 400;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final TestDatabase database;

    DataSourceMixedLoadTest(TestDatabase database) {
        this.database = database;
    }

    /** Engine defaults for the lock wait (busy_timeout, lockTimeout: 5 s) and osgi.connection.timeout (30 s). */
    private Engine open() {
        return database.open("dsload");
    }

    /** What the workers did, and what went wrong. */
    private static final class Tally {
        final AtomicLong committedIncrements = new AtomicLong();
        final AtomicLong unitIncrements = new AtomicLong();
        final AtomicLong snapshots = new AtomicLong();
        final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        final Queue<String> errors = new ConcurrentLinkedQueue<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        void failed(String operation, Throwable e) {
            errors.add(operation + ": " + e);
            failures.add(e);
        }
    }

    private enum Operation {
        READ_THEN_UPDATE, READ_ONLY_SNAPSHOT, AUTO_COMMIT_INSERT, UNIT_INCREMENT, UNIT_INSERT, UNIT_READ
    }

    @Nested
    class ThroughTheDataSourceAlone {

        @Test
        @Differs({Difference.WRITERS_RUN_SIDE_BY_SIDE, Difference.NOTHING_ON_A_SCHEDULE})
        void noUpdateIsLostNothingFailsAndEveryAcknowledgedRowSurvivesARestart() throws Exception {
            run(false);
        }
    }

    @Nested
    class ThroughTheDataSourceAndUnitsTogether {

        @Test
        @Differs({Difference.WRITERS_RUN_SIDE_BY_SIDE, Difference.NOTHING_ON_A_SCHEDULE})
        void noUpdateIsLostNothingFailsAndEveryAcknowledgedRowSurvivesARestart() throws Exception {
            run(true);
        }
    }

    private void run(boolean withUnits) throws Exception {
        // Side by side at READ_COMMITTED, two read-then-updates would both read v and both write v + 1.
        String readToUpdate = "SELECT v FROM counter WHERE id = 1"
                + (database.differs(Difference.WRITERS_RUN_SIDE_BY_SIDE) ? " FOR UPDATE" : "");
        Tally tally = new Tally();
        Engine engine = open();
        try {
            engine.connections().execute(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE counter(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
                    s.execute("INSERT INTO counter(id, v) VALUES (1, 0)");
                    s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, worker INTEGER, payload TEXT)");
                }
            });
            CountDownLatch start = new CountDownLatch(1);
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int worker = t;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < OPERATIONS && System.nanoTime() < deadline; i++) {
                        Operation operation = pick(withUnits);
                        try {
                            perform(operation, engine, worker, i, tally, readToUpdate);
                        } catch (Exception | AssertionError e) {
                            tally.failed(operation.name(), e);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : workers) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
        } finally {
            engine.close();
        }

        tally.failures.stream().limit(10).forEach(Throwable::printStackTrace);
        Map<String, Long> distinctErrors = tally.errors.stream()
                .collect(Collectors.groupingBy(e -> e, TreeMap::new, Collectors.counting()));
        assertThat(distinctErrors).as("errors (each with how often it happened) of %d %s operations",
                tally.errors.size(), withUnits ? "DataSource and unit" : "DataSource").isEmpty();
        assertThat(tally.snapshots.get()).isPositive();
        assertThat(tally.committedIncrements.get()).isPositive();

        try (Engine reopened = open()) {
            long counter = reopened.connections().read(c -> {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT v FROM counter WHERE id = 1")) {
                    r.next();
                    return r.getLong(1);
                }
            });
            assertThat(counter).as("committed read-then-update transactions %d + unit increments %d",
                    tally.committedIncrements.get(), tally.unitIncrements.get())
                    .isEqualTo(tally.committedIncrements.get() + tally.unitIncrements.get());
            Set<Long> stored = reopened.connections().read(c -> {
                Set<Long> ids = new HashSet<>();
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM items")) {
                    while (r.next()) {
                        ids.add(r.getLong(1));
                    }
                }
                return ids;
            });
            assertThat(stored).as("acknowledged rows after a restart").containsAll(tally.acknowledged);
            if (!database.differs(Difference.NOTHING_ON_A_SCHEDULE)) { // the server's files are the server's to check
                String integrity = reopened.connections().read(c -> {
                    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                        r.next();
                        return r.getString(1);
                    }
                });
                assertThat(integrity).isEqualTo("ok");
            }
        }
    }

    private static Operation pick(boolean withUnits) {
        int roll = ThreadLocalRandom.current().nextInt(100);
        if (!withUnits) {
            return roll < 35 ? Operation.READ_THEN_UPDATE
                    : roll < 65 ? Operation.READ_ONLY_SNAPSHOT
                    : Operation.AUTO_COMMIT_INSERT;
        }
        return roll < 25 ? Operation.READ_THEN_UPDATE
                : roll < 45 ? Operation.READ_ONLY_SNAPSHOT
                : roll < 60 ? Operation.AUTO_COMMIT_INSERT
                : roll < 75 ? Operation.UNIT_INCREMENT
                : roll < 85 ? Operation.UNIT_INSERT
                : Operation.UNIT_READ;
    }

    private static void perform(Operation operation, Engine engine, int worker, int i, Tally tally, String readToUpdate)
            throws SQLException {
        long id = (long) worker * 1_000_000 + i;
        switch (operation) {
            case READ_THEN_UPDATE -> {
                try (Connection c = engine.dataSource().getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        long v = counter(c, readToUpdate);
                        try (PreparedStatement s = c.prepareStatement("UPDATE counter SET v = ? WHERE id = 1")) {
                            s.setLong(1, v + 1);
                            s.executeUpdate();
                        }
                        c.commit();
                        tally.committedIncrements.incrementAndGet();
                    } catch (SQLException | RuntimeException e) {
                        rollbackQuietly(c, e);
                        throw e;
                    }
                }
            }
            case READ_ONLY_SNAPSHOT -> {
                try (Connection c = engine.dataSource().getConnection()) {
                    c.setReadOnly(true);
                    c.setAutoCommit(false);
                    try {
                        int first = items(c);
                        long counterFirst = counter(c);
                        int second = items(c);
                        long counterSecond = counter(c);
                        c.commit();
                        assertThat(second).as("items seen twice in one read-only transaction").isEqualTo(first);
                        assertThat(counterSecond).as("counter seen twice in one read-only transaction")
                                .isEqualTo(counterFirst);
                        tally.snapshots.incrementAndGet();
                    } catch (SQLException | RuntimeException e) {
                        rollbackQuietly(c, e);
                        throw e;
                    }
                }
            }
            case AUTO_COMMIT_INSERT -> {
                try (Connection c = engine.dataSource().getConnection()) {
                    insert(c, id, worker);
                }
                tally.acknowledged.add(id);
            }
            case UNIT_INCREMENT -> {
                engine.connections().execute(c -> {
                    long v = counter(c, readToUpdate);
                    try (PreparedStatement s = c.prepareStatement("UPDATE counter SET v = ? WHERE id = 1")) {
                        s.setLong(1, v + 1);
                        s.executeUpdate();
                    }
                });
                tally.unitIncrements.incrementAndGet();
            }
            case UNIT_INSERT -> {
                engine.connections().execute(c -> insert(c, id, worker));
                tally.acknowledged.add(id);
            }
            case UNIT_READ -> {
                int n = engine.connections().read(DataSourceMixedLoadTest::items);
                assertThat(n).isNotNegative();
            }
        }
    }

    private static long counter(Connection c) throws SQLException {
        return counter(c, "SELECT v FROM counter WHERE id = 1");
    }

    private static long counter(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static int items(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM items")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void insert(Connection c, long id, int worker) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO items(id, worker, payload) VALUES (?, ?, ?)")) {
            s.setLong(1, id);
            s.setInt(2, worker);
            s.setString(3, "x".repeat(100));
            s.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
