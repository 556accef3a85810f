package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each class of failure, provoked for real on a server, becomes the exception its SQLSTATE says:
 * a {@link ConnectionException} for what is about reaching the server, an {@link EngineException}
 * for the statement or the data, with the SQLSTATE in {@link EngineException#sqlState()} and in the
 * message, after the engine's name; the figures count it under its SQLSTATE.
 */
@ExtendWith(PostgresExtension.class)
class SqlStateMappingTest {

    @Test
    void aUniqueViolationIsAnEngineExceptionWith23505(PostgresDatabase database) {
        try (SqliteEngine engine = PgEngines.open(database, "unique")) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id int PRIMARY KEY)"));
            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));

            EngineException e = catchThrowableOfType(() -> engine.connections().execute(
                    c -> c.createStatement().execute("INSERT INTO t VALUES (1)")), EngineException.class);

            assertThat(e).isNotInstanceOf(ConnectionException.class);
            assertThat(e.sqlState()).hasValue("23505");
            assertThat(e.resultCode()).isEqualTo(EngineException.NO_RESULT_CODE);
            assertThat(e.getMessage()).startsWith("[unique] write unit failed (SQLSTATE 23505, unique violation): ");
            assertThat(engine.status().errorsByCode()).containsEntry("23505", 1L);
        }
    }

    @Test
    void aSyntaxErrorIsAnEngineExceptionWith42601(PostgresDatabase database) {
        try (SqliteEngine engine = PgEngines.open(database, "syntax")) {
            EngineException e = catchThrowableOfType(() -> engine.connections().read(
                    c -> c.createStatement().executeQuery("SELEC 1")), EngineException.class);

            assertThat(e).isNotInstanceOf(ConnectionException.class);
            assertThat(e.sqlState()).hasValue("42601");
            assertThat(e.getMessage()).startsWith("[syntax] read unit failed (SQLSTATE 42601, syntax error): ");
        }
    }

    @Test
    void aWrongPasswordIsAConnectionExceptionWith28P01ThatNeverShowsThePassword(PostgresDatabase database) {
        String wrong = "Wr0ng-" + System.nanoTime();
        ConnectionException e = catchThrowableOfType(() -> PgEngines.open(
                PgEngines.with(PgEngines.config(database, "login"), "password", wrong)), ConnectionException.class);

        assertThat(e.sqlState()).hasValue("28P01");
        assertThat(e.getMessage()).startsWith("[login] opening " + database.jdbcUrl() + " failed (SQLSTATE 28P01, the"
                + " server refused the login: check user and password)").doesNotContain(wrong);
    }

    @Test
    void anUnreachableServerIsAConnectionExceptionOfClass08() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ConnectionException e = catchThrowableOfType(() -> PgEngines.open(java.util.Map.of("name", "nowhere",
                "type", "postgresql", "url", "jdbc:postgresql://127.0.0.1:" + port + "/none", "user", "nobody",
                "password", "whatever")), ConnectionException.class);

        assertThat(e.sqlState()).hasValueSatisfying(state -> assertThat(state).startsWith("08"));
        assertThat(e.getMessage()).startsWith("[nowhere] opening jdbc:postgresql://127.0.0.1:" + port + "/none failed"
                + " (SQLSTATE 08001, the server could not be reached, or the connection to it broke)");
    }

    @Test
    void aSerializationFailureIs40001WhenNoRetryIsLeft(PostgresDatabase database) throws Exception {
        try (SqliteEngine engine = PgEngines.open(database, "serial", "isolation", "SERIALIZABLE", "write.retries", 0)) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(k int)"));
            CyclicBarrier bothRead = new CyclicBarrier(2);
            List<Throwable> failures = bothAtOnce(() -> engine.connections().execute(c -> {
                int sum = sum(c);
                await(bothRead);
                c.createStatement().executeUpdate("INSERT INTO t VALUES (" + (sum + 1) + ")");
            }));

            assertThat(failures).singleElement().isInstanceOfSatisfying(EngineException.class, e -> {
                assertThat(e).isNotInstanceOf(ConnectionException.class);
                assertThat(e.sqlState()).hasValue("40001");
                assertThat(e.getMessage()).startsWith("[serial] ").contains("(SQLSTATE 40001, serialization failure");
            });
            assertThat(engine.status().errorsByCode()).containsEntry("40001", 1L);
        }
    }

    @Test
    void aDeadlockIs40P01WhenNoRetryIsLeft(PostgresDatabase database) throws Exception {
        try (SqliteEngine engine = PgEngines.open(database, "deadlock", "write.retries", 0)) {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE t(id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0)"));
            CyclicBarrier bothLocked = new CyclicBarrier(2);
            int[] turn = {0};
            List<Throwable> failures = bothAtOnce(() -> {
                int first;
                synchronized (turn) {
                    first = ++turn[0];
                }
                int second = 3 - first;
                engine.connections().execute(c -> {
                    c.createStatement().executeUpdate("UPDATE t SET v = v + 1 WHERE id = " + first);
                    await(bothLocked);
                    c.createStatement().executeUpdate("UPDATE t SET v = v + 1 WHERE id = " + second);
                });
            });

            assertThat(failures).singleElement().isInstanceOfSatisfying(EngineException.class, e -> {
                assertThat(e.sqlState()).hasValue("40P01");
                assertThat(e.getMessage()).startsWith("[deadlock] ").contains("(SQLSTATE 40P01, deadlock detected)");
            });
        }
    }

    @Test
    void aLockNotGrantedWithinLockTimeoutIsAConnectionExceptionWith55P03(PostgresDatabase database) throws Exception {
        try (SqliteEngine engine = PgEngines.open(database, "locked", "lockTimeout", 200, "write.retries", 0)) {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE t(id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)"));
            try (Connection holder = database.dataSource().getConnection()) {
                holder.setAutoCommit(false);
                holder.createStatement().executeUpdate("UPDATE t SET v = 1 WHERE id = 1");

                ConnectionException e = catchThrowableOfType(() -> engine.connections().execute(
                        c -> c.createStatement().executeUpdate("UPDATE t SET v = 2 WHERE id = 1")), ConnectionException.class);

                assertThat(e.sqlState()).hasValue("55P03");
                assertThat(e.getMessage()).startsWith("[locked] ").contains("a lock was not granted within lockTimeout");
                assertThat(engine.status().busyWaits()).isEqualTo(1);
                holder.rollback();
            }
        }
    }

    @Test
    void aLockWaitEndsByTheWriteDeadlineAndTheWriterGetsItsLockTimeoutBack(PostgresDatabase database) throws Exception {
        java.util.Map<String, Object> config = PgEngines.config(database, "deadline", "lockTimeout", 5000,
                "write.deadline", 1000, "write.connections", 1);
        try (SqliteEngine engine = PgEngines.open(config)) {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE t(id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)"));
            try (Connection holder = database.dataSource().getConnection()) {
                holder.setAutoCommit(false);
                holder.createStatement().executeUpdate("UPDATE t SET v = 1 WHERE id = 1");

                ConnectionException e = catchThrowableOfType(() -> engine.connections().execute(
                        c -> c.createStatement().executeUpdate("UPDATE t SET v = 2 WHERE id = 1")), ConnectionException.class);

                assertThat(e.getMessage()).as("waited 1 s, not lockTimeout's 5").startsWith("[deadline] a write unit gave up")
                        .contains("write.deadline=1000 ms");
                assertThat(e.sqlState()).hasValue("55P03");
                holder.rollback();
            }
            // A longer deadline, in place: the same writer connection, with its own lock_timeout back
            engine.reconfigure(PgEngines.settings(PgEngines.with(config, "write.deadline", 60_000)));
            String lockTimeout = engine.connections().write(c -> {
                try (ResultSet r = c.createStatement().executeQuery("SHOW lock_timeout")) {
                    r.next();
                    return r.getString(1);
                }
            });
            assertThat(lockTimeout).isEqualTo("5s");
        }
    }

    @Test
    void sqlStatesArePackedIntoTheSeamsCodesAndBack() {
        for (String state : List.of("00000", "23505", "40001", "40P01", "55P03", "XX001", "ZZZZZ")) {
            int code = SqlStates.pack(state);
            assertThat(code).isNotNegative();
            assertThat(SqlStates.unpack(code)).isEqualTo(state);
        }
        assertThat(SqlStates.pack("2350")).isEqualTo(EngineException.NO_RESULT_CODE);
        assertThat(SqlStates.pack("23-05")).isEqualTo(EngineException.NO_RESULT_CODE);
        assertThat(new SqlStates().name(EngineException.NO_RESULT_CODE)).isEqualTo("NONE");
        assertThat(new SqlStates().isTransient(new SQLException("x", "40001"))).isTrue();
        assertThat(new SqlStates().isTransient(new SQLException("x", "23505"))).isFalse();
    }

    private static int sum(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(sum(k), 0) FROM t")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the action on two threads at once; @return what each threw, if anything */
    private static List<Throwable> bothAtOnce(Runnable action) throws Exception {
        List<CompletableFuture<Void>> runs = List.of(CompletableFuture.runAsync(action), CompletableFuture.runAsync(action));
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Void> run : runs) {
            try {
                run.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        return failures;
    }
}
