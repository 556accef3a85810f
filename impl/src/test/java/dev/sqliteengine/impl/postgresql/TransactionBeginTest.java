package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A transaction on PostgreSQL begins with its first statement, in the same message (pgjdbc's
 * manual-commit mode), at the isolation and read-only mode the connection has by default: what
 * that leaves of what units promise. A unit holds nothing on the server before its first
 * statement; read units and read-only {@code DataSource} transactions are one snapshot and
 * read-only, write units run at the configured isolation; a savepoint or a nested unit may come
 * first; and a connection goes back to auto-commit whatever happened, so the statements of the
 * next user commit when they should.
 */
@ExtendWith(PostgresExtension.class)
class TransactionBeginTest {

    private SqliteEngine engine;
    private PostgresDatabase database;

    @BeforeEach
    void open(PostgresDatabase database) {
        this.database = database;
        // One connection per pool, so that each step below meets the connection the last one left.
        engine = PgEngines.open(database, "begin", "isolation", "SERIALIZABLE", "write.connections", 1,
                "osgi.connection.max", 1);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id int PRIMARY KEY, v text)"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aUnitHoldsNoTransactionOnTheServerBeforeItsFirstStatement() throws Exception {
        List<String> states = new ArrayList<>();
        engine.connections().execute(c -> {
            states.add(writerState());
            insert(c, 1);
            states.add(writerState());
        });

        assertThat(states).containsExactly("idle", "idle in transaction");
        assertThat(writerState()).isEqualTo("idle");
        assertThat(ids()).containsExactly(1);
    }

    /** @return what the server says the engine's writer connection is doing, seen from a connection of its own */
    private String writerState() throws SQLException {
        try (Connection observer = database.dataSource().getConnection();
                ResultSet r = observer.createStatement().executeQuery(
                        "SELECT state FROM pg_stat_activity WHERE application_name = 'begin/writer'")) {
            assertThat(r.next()).as("the writer is connected").isTrue();
            String state = r.getString(1);
            assertThat(r.next()).as("one writer").isFalse();
            return state;
        }
    }

    @Test
    void readUnitsAreOneReadOnlySnapshotAndWriteUnitsRunAtTheConfiguredIsolation() {
        String read = engine.connections().read(c -> text(c, "SELECT current_setting('transaction_isolation')"
                + " || ' ' || current_setting('transaction_read_only')"));
        String write = engine.connections().write(c -> text(c, "SELECT current_setting('transaction_isolation')"
                + " || ' ' || current_setting('transaction_read_only')"));

        assertThat(read).isEqualTo("repeatable read on");
        assertThat(write).isEqualTo("serializable off");
    }

    @Test
    void aReadOnlyDataSourceConnectionGoesBackToTheConfiguredIsolationForTheNextUser() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            assertThat(text(c, "SHOW transaction_isolation")).isEqualTo("repeatable read");
            assertThat(text(c, "SHOW transaction_read_only")).isEqualTo("on");
            c.commit();
        }
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertThat(text(c, "SHOW transaction_isolation")).isEqualTo("serializable");
            insert(c, 1);
            c.commit();
        }
        assertThat(ids()).containsExactly(1);
    }

    @Test
    void aSavepointOrANestedUnitMayComeFirstInAUnit() {
        engine.connections().execute(outer -> {
            engine.connections().execute(inner -> insert(inner, 1));
            insert(outer, 2);
        });
        engine.connections().execute(c -> {
            Savepoint first = c.setSavepoint();
            insert(c, 3);
            c.rollback(first);
            insert(c, 4);
        });
        int seen = engine.connections().write(outer -> {
            int before = engine.connections().read(inner -> count(inner));
            insert(outer, 5);
            return before;
        });

        assertThat(seen).isEqualTo(3);
        assertThat(ids()).containsExactly(1, 2, 4, 5);
    }

    @Test
    void aUnitThatFailsBeforeItsFirstStatementLeavesNothingOpen() {
        assertThatThrownBy(() -> engine.connections().execute(c -> {
            throw new IllegalStateException("before any statement");
        })).hasMessage("before any statement");
        assertThatThrownBy(() -> engine.connections().read(c -> {
            throw new IllegalStateException("before any statement");
        })).hasMessage("before any statement");

        engine.connections().execute(c -> insert(c, 1));
        assertThat(ids()).containsExactly(1);
    }

    @Test
    void aTransactionWhoseFirstStatementNeverReachedTheServerLeavesTheConnectionInAutoCommit() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement unbound = c.prepareStatement("INSERT INTO t VALUES (?, 'x')")) {
                assertThatThrownBy(unbound::executeUpdate).isInstanceOf(SQLException.class);
            }
            c.rollback();
            c.setAutoCommit(true);
            insert(c, 7);

            assertThat(ids()).as("committed by itself, seen while the connection is still out").containsExactly(7);
        }
    }

    @Test
    void aDataSourceTransactionWhoseCommitFailedLeavesTheConnectionInAutoCommit() throws Exception {
        engine.connections().execute(c -> c.createStatement().execute(
                "CREATE TABLE once(id int UNIQUE DEFERRABLE INITIALLY DEFERRED)"));
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("INSERT INTO once VALUES (1), (1)");
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("COMMIT failed");
            c.setAutoCommit(true);
            insert(c, 2);

            assertThat(ids()).containsExactly(2);
        }
    }

    @Test
    void aWriteUnitWhoseCommitFailedLeavesItsWriterIdle() throws Exception {
        engine.connections().execute(c -> c.createStatement().execute(
                "CREATE TABLE once(id int UNIQUE DEFERRABLE INITIALLY DEFERRED)"));
        assertThatThrownBy(() -> engine.connections().execute(c -> c.createStatement().executeUpdate(
                "INSERT INTO once VALUES (1), (1)"))).hasMessageContaining("23505");

        assertThat(writerState()).isEqualTo("idle");
        engine.connections().execute(c -> insert(c, 1));
        assertThat(ids()).containsExactly(1);
    }

    private List<Integer> ids() {
        return PgEngines.ids(engine);
    }

    private static void insert(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (" + id + ", 'v" + id + "')");
        }
    }

    private static int count(Connection c) throws SQLException {
        return Integer.parseInt(text(c, "SELECT count(*) FROM t"));
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
