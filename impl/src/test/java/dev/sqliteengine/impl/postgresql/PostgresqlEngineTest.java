package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a PostgreSQL engine does of its own: connections that say whose they are, readers that
 * start read-only, every form of PostgreSQL's read-only switch kept the engine's, SQLSTATEs of
 * read-only refusals, the server and its version in the status, health and upkeep left to the
 * server. What units mean on it, as on SQLite, is the contract suite's (the classes of
 * {@code dev.sqliteengine.impl.engine} marked {@code OnEveryDatabaseType}).
 */
@ExtendWith(PostgresExtension.class)
class PostgresqlEngineTest {

    private SqliteEngine engine;
    private PostgresDatabase database;

    @BeforeEach
    void open(PostgresDatabase database) {
        this.database = database;
        engine = PgEngines.open(database, "units");
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

    private int count() {
        return engine.connections().read(c -> Integer.parseInt(text(c, "SELECT count(*) FROM t")));
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void aWriteInAReadUnitIsRefusedByTheServerWithSqlState25006() {
        EngineException e = catchThrowableOfType(() -> engine.connections().read(c -> {
            insert(c, 1);
            return null;
        }), EngineException.class);

        assertThat(e.getMessage()).startsWith("[units] ").contains("a read unit tried to write");
        assertThat(e.sqlState()).hasValue("25006");
        assertThat(count()).isZero();
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

    @ParameterizedTest
    @ValueSource(strings = {"SET transaction_read_only = off", "SET LOCAL transaction_read_only TO off",
        "SET TRANSACTION READ WRITE", "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
        "SET default_transaction_read_only = off", "RESET default_transaction_read_only", "RESET ALL"})
    void everyFormOfTheReadOnlySwitchIsTheEnginesInReadUnitsAndReadOnlyConnections(String sql) throws Exception {
        assertThatThrownBy(() -> engine.connections().read(c -> {
            c.createStatement().execute(sql);
            insert(c, 1);
            return null;
        })).isInstanceOf(EngineException.class).hasMessageStartingWith("[units] SET or RESET of the read-only mode");
        try (Connection c = engine.dataSource().getConnection()) {
            c.setReadOnly(true);
            assertThatThrownBy(() -> c.createStatement().execute(sql)).isInstanceOf(SQLException.class)
                    .hasMessage("[units] SET or RESET of the read-only mode (transaction_read_only,"
                            + " default_transaction_read_only) is the engine's; use Connection.setReadOnly");
            assertThatThrownBy(() -> insert(c, 2)).isInstanceOf(SQLException.class);
        }
        assertThat(count()).isZero();
    }

    @Test
    void aReadOnlyDataSourceConnectionIsRefusedWith25006AndItsTransactionsSeeOneSnapshot() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.setReadOnly(true);
            SQLException refused = catchThrowableOfType(() -> insert(c, 1), SQLException.class);
            assertThat(refused.getSQLState()).isEqualTo("25006");
            c.setAutoCommit(false);
            assertThat(text(c, "SHOW transaction_isolation")).as("one snapshot, as a read unit").isEqualTo("repeatable read");
            c.commit();
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
    void statusShowsTheServerItsVersionTheSettingsAndTheFiguresBySqlState() throws Exception {
        engine.connections().execute(c -> insert(c, 1));
        assertThatThrownBy(() -> engine.connections().execute(c -> insert(c, 1))).isInstanceOf(EngineException.class);
        String serverVersion;
        try (Connection c = database.dataSource().getConnection()) {
            serverVersion = text(c, "SHOW server_version");
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
