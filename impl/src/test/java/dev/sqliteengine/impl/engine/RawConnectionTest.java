package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connections from {@code Engine.connect()} and the {@code DataSource}, used the plain JDBC way:
 * transactions take the writer (SQLite's write lock) at their first statement, so two of them
 * never deadlock on a lock upgrade, and a connection back in the pool holds no lock and no place in
 * the writer queue (one place on PostgreSQL here, as SQLite has).
 */
@OnEveryDatabaseType
class RawConnectionTest {

    private final TestDatabase database;

    RawConnectionTest(TestDatabase database) {
        this.database = database;
    }

    private Engine open() {
        Map<String, Object> config = new HashMap<>(database.config("raw"));
        config.putAll(database.kind().oneWriter());
        return database.open(config);
    }

    private static int count(Connection c) throws java.sql.SQLException {
        try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void aReturnedConnectionHoldsNoLock() throws Exception {
        try (Engine engine = open()) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v INTEGER)"));
            try (Connection c = engine.connect()) {
                c.setAutoCommit(false);
                c.createStatement().execute("INSERT INTO t VALUES (1)");
                c.commit(); // sqlite-jdbc begins again at once, in IMMEDIATE mode: the lock is held until close
            }
            // with a lock left behind, this write unit would wait for busy_timeout and fail
            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (2)"));
            try (Connection c = engine.dataSource().getConnection()) {
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(count(c)).isEqualTo(2);
            }
        }
    }

    @Test
    void twoReadThenWriteTransactionsDoNotDeadlock() throws Exception {
        try (Engine engine = open()) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v INTEGER)"));
            try (Connection first = engine.dataSource().getConnection()) {
                first.setAutoCommit(false); // BEGIN IMMEDIATE: the write lock, now
                count(first);
                first.createStatement().execute("INSERT INTO t VALUES (1)");

                // The second transaction waits at its BEGIN (within busy_timeout) instead of reading
                // first and then failing to upgrade, which is the deadlock DEFERRED transactions hit.
                CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> {
                    try (Connection c = engine.connect()) {
                        c.setAutoCommit(false);
                        int seen = count(c);
                        c.createStatement().execute("INSERT INTO t VALUES (2)");
                        c.commit();
                        return seen;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                first.commit();
                first.setAutoCommit(true);
                assertThat(second.get(30, TimeUnit.SECONDS)).isBetween(0, 1);
            }
            assertThat(engine.connections().<Integer>read(RawConnectionTest::count)).isEqualTo(2);
        }
    }
}
