package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Units of work, nesting, failures, the {@code DataSource}'s transactions, read-only connections,
 * listeners and figures on a PostgreSQL server: what an application written for SQLite relies
 * on, and the one thing that differs (a failed statement fails the transaction; a savepoint
 * taken before it lets the unit go on).
 */
@ExtendWith(PostgresExtension.class)
class PostgresqlUnitsTest {

    private SqliteEngine engine;
    private PostgresDatabase database;
    private final PgEngines.Events events = new PgEngines.Events();

    @BeforeEach
    void open(PostgresDatabase database) {
        this.database = database;
        engine = PgEngines.open(database, "units");
        engine.addListener(events);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id int PRIMARY KEY, v text)"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static void insert(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (" + id + ", 'v" + id + "')");
        }
    }

    private List<Integer> ids() {
        return PgEngines.ids(engine);
    }

    @Test
    void aWriteUnitCommitsAndAReadUnitSeesIt() {
        engine.connections().execute(c -> insert(c, 1));
        assertThat(ids()).containsExactly(1);
    }

    @Test
    void aReadUnitThatWritesFailsAndSaysSo() {
        EngineException e = catchThrowableOfType(() -> engine.connections().read(c -> {
            insert(c, 1);
            return null;
        }), EngineException.class);

        assertThat(e.getMessage()).startsWith("[units] ").contains("a read unit tried to write");
        assertThat(e.sqlState()).hasValue("25006");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aNestedWriteThatThrowsIsUndoneAndTheOuterUnitCommitsTheRest() {
        engine.connections().execute(outer -> {
            insert(outer, 1);
            assertThatThrownBy(() -> engine.connections().execute(inner -> {
                insert(inner, 2);
                throw new IllegalStateException("changed my mind");
            })).hasMessage("changed my mind");
            insert(outer, 3);
        });
        assertThat(ids()).containsExactly(1, 3);
    }

    @Test
    void aNestedWriteTakesAUniqueViolationAndTheOuterUnitGoesOn() {
        engine.connections().execute(outer -> {
            insert(outer, 1);
            EngineException duplicate = catchThrowableOfType(
                    () -> engine.connections().execute(inner -> insert(inner, 1)), EngineException.class);
            assertThat(duplicate.sqlState()).hasValue("23505");
            assertThat(duplicate.getMessage()).contains("SQLSTATE 23505, unique violation");
            insert(outer, 2);
        });
        assertThat(ids()).containsExactly(1, 2);
    }

    @Test
    void aFailedStatementOutsideASavepointFailsTheWholeUnitAndNothingCommits() {
        EngineException e = catchThrowableOfType(() -> engine.connections().execute(c -> {
            insert(c, 1);
            try {
                insert(c, 1);
            } catch (SQLException duplicate) {
                // SQLite would go on here; PostgreSQL has failed the transaction
            }
            insert(c, 2);
        }), EngineException.class);

        assertThat(e.getMessage()).startsWith("[units] ").contains("PostgreSQL aborted").contains("nothing of this unit");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aWorkThatSwallowsAFailureAndReturnsCommitsNothing() {
        EngineException e = catchThrowableOfType(() -> engine.connections().execute(c -> {
            insert(c, 1);
            try {
                insert(c, 1);
            } catch (SQLException duplicate) {
                // swallowed: the server would roll back at COMMIT, and say nothing
            }
        }), EngineException.class);

        assertThat(e.getMessage()).contains("PostgreSQL aborted the whole transaction");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aWriteUnitRefusesToRunOnAThreadWhoseDataSourceTransactionHoldsAWriter() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);

            assertThatThrownBy(() -> engine.connections().execute(inner -> insert(inner, 2)))
                    .isInstanceOf(EngineException.class).hasMessageContaining("would wait for itself");
            c.commit();
        }
        assertThat(ids()).containsExactly(1);
    }

    @Test
    void connectionsSayWhoseTheyAreAndReadersStartReadOnly() {
        String writer = engine.connections().write(c -> text(c, "SHOW application_name"));
        String reader = engine.connections().read(c -> text(c, "SHOW application_name"));
        String readOnly = engine.connections().read(c -> text(c, "SHOW default_transaction_read_only"));

        assertThat(writer).isEqualTo("units/writer");
        assertThat(reader).isEqualTo("units/reader");
        assertThat(readOnly).isEqualTo("on");
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void optimizeThroughTheManagementInterfaceAnalyzes() {
        engine.connections().execute(c -> insert(c, 1));

        engine.management().optimize();

        String analyzed = engine.connections().read(c -> text(c,
                "SELECT coalesce(last_analyze::text, 'never') FROM pg_stat_user_tables WHERE relname = 't'"));
        assertThat(analyzed).isNotEqualTo("never");
    }

    @Test
    void aRollbackToASavepointLetsTheUnitGoOnAfterAFailure() {
        engine.connections().execute(c -> {
            insert(c, 1);
            Savepoint before = c.setSavepoint();
            assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
            c.rollback(before);
            insert(c, 2);
        });
        assertThat(ids()).containsExactly(1, 2);
    }

    @Test
    void aReadInsideAWriteSeesItsRowsCannotWriteAndTheWriteGoesOnAfterIt() {
        engine.connections().execute(outer -> {
            insert(outer, 1);
            int seen = engine.connections().read(inner -> {
                try (ResultSet r = inner.createStatement().executeQuery("SELECT count(*) FROM t")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            assertThat(seen).isEqualTo(1);
            EngineException refused = catchThrowableOfType(() -> engine.connections().read(inner -> {
                insert(inner, 5);
                return null;
            }), EngineException.class);
            assertThat(refused.getMessage()).contains("a read unit tried to write");
            insert(outer, 2);
        });
        assertThat(ids()).containsExactly(1, 2);
    }

    @Test
    void aWriteInsideAReadIsRefused() {
        assertThatThrownBy(() -> engine.connections().read(outer -> engine.connections().write(inner -> {
            insert(inner, 1);
            return null;
        }))).isInstanceOf(EngineException.class).hasMessageContaining("a write unit cannot run inside a read unit");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aReadUnitSeesOneSnapshotWhileOthersCommit() throws Exception {
        engine.connections().execute(c -> insert(c, 1));
        CountDownLatch firstRead = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                assertThat(firstRead.await(30, TimeUnit.SECONDS)).isTrue();
                engine.connections().execute(c -> insert(c, 2));
                written.countDown();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        int[] counts = engine.connections().read(c -> {
            int before = count(c);
            firstRead.countDown();
            awaited(written);
            return new int[] {before, count(c)};
        });
        writer.get(30, TimeUnit.SECONDS);

        assertThat(counts).containsExactly(1, 1);
        assertThat(ids()).containsExactly(1, 2);
    }

    private static void awaited(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static int count(Connection c) throws SQLException {
        try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void dataSourceTransactionsCommitAndRollBack() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            c.rollback();
            insert(c, 2);
            c.commit();
        }
        assertThat(ids()).containsExactly(2);
    }

    @Test
    void aDataSourceTransactionGoesOnAfterARollbackToASavepoint() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            Savepoint before = c.setSavepoint();
            assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
            c.rollback(before);
            insert(c, 2);
            c.commit();
        }
        assertThat(ids()).containsExactly(1, 2);
    }

    @Test
    void aDataSourceTransactionThatFailedRefusesStatementsAndItsCommitUntilRolledBack() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            assertThatThrownBy(() -> insert(c, 1)).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> insert(c, 2)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("PostgreSQL aborted");
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("nothing of it was committed");
            insert(c, 3);
            c.commit();
        }
        assertThat(ids()).containsExactly(3);
    }

    @Test
    void aReadOnlyDataSourceConnectionRefusesWritesAndTheNextOneWritesAgain() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setReadOnly(true);
            SQLException refused = catchThrowableOfType(() -> insert(c, 1), SQLException.class);
            assertThat(refused.getSQLState()).isEqualTo("25006");
            c.setAutoCommit(false);
            assertThat(text(c, "SHOW transaction_isolation")).as("one snapshot, as a read unit").isEqualTo("repeatable read");
            c.commit();
        }
        for (int i = 0; i < 3; i++) { // whichever pooled connection comes next writes
            try (Connection c = engine.dataSource().getConnection()) {
                insert(c, 10 + i);
            }
        }
        assertThat(ids()).containsExactly(10, 11, 12);
    }

    @Test
    void listenersHearTransactionsAndFailures() {
        engine.connections().execute(c -> insert(c, 1));
        assertThatThrownBy(() -> engine.connections().execute(c -> insert(c, 1))).isInstanceOf(EngineException.class);

        assertThat(events.types()).containsSubsequence(EngineEvent.Type.BEGIN, EngineEvent.Type.COMMIT,
                EngineEvent.Type.BEGIN, EngineEvent.Type.ROLLBACK, EngineEvent.Type.ERROR);
    }

    @Test
    void statusShowsTheServerItsVersionTheSettingsAndTheFiguresBySqlState() throws Exception {
        engine.connections().execute(c -> insert(c, 1));
        assertThatThrownBy(() -> engine.connections().execute(c -> insert(c, 1))).isInstanceOf(EngineException.class);
        String serverVersion;
        try (Connection c = database.dataSource().getConnection();
                ResultSet r = c.createStatement().executeQuery("SHOW server_version")) {
            r.next();
            serverVersion = r.getString(1);
        }

        EngineStatus status = engine.status();

        assertThat(status.path()).isEqualTo(database.jdbcUrl());
        assertThat(status.sqliteVersion()).isEqualTo(serverVersion);
        assertThat(status.settings()).containsEntry("type", "postgresql").containsEntry("url", database.jdbcUrl())
                .containsEntry("user", database.user()).containsEntry("isolation", "READ_COMMITTED")
                .containsEntry("write.connections", 10).doesNotContainKeys("password", "path", "pragma.journal_mode");
        assertThat(status.commits()).isEqualTo(2); // the table and the first row
        assertThat(status.errorsByCode()).containsEntry("23505", 1L);
        assertThat(status.pool("writer")).hasValueSatisfying(p -> assertThat(p.max()).isEqualTo(10));
    }

    @Test
    void healthLeavesTheServersFilesToTheServer() {
        EngineHealth health = engine.health();

        assertThat(health.findings()).anySatisfy(f -> {
            assertThat(f.check()).isEqualTo(EngineHealth.QUICK_CHECK);
            assertThat(f.status()).isEqualTo(EngineHealth.Status.OK);
            assertThat(f.message()).contains("not run here");
        });
        assertThat(health.findings()).anySatisfy(f -> {
            assertThat(f.check()).isEqualTo(EngineHealth.WAL);
            assertThat(f.message()).contains("not watched here");
        });
    }

    @Test
    void backupsRestoresAndCheckpointsAreRefusedNamingWhatToUseInstead() {
        assertThatThrownBy(() -> engine.backup(Path.of("backup.db"))).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("[units] ").hasMessageContaining("pg_dump").hasMessageContaining("pg_basebackup");
        assertThatThrownBy(() -> engine.restore(Path.of("backup.db"))).isInstanceOf(EngineException.class)
                .hasMessageContaining("type=postgresql");
        assertThatThrownBy(() -> engine.management().checkpoint("PASSIVE")).isInstanceOf(EngineException.class)
                .hasMessageContaining("type=postgresql");
    }
}
