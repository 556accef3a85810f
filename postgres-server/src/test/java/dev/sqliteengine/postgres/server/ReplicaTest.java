package dev.sqliteengine.postgres.server;

import static dev.sqliteengine.postgres.server.PostgresPrimaryTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** One primary for the class, a new replica for each test. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaTest {

    private final PostgresPrimary primary;
    private final DataSource onPrimary;
    private PostgresReplica replica;
    private DataSource onReplica;

    ReplicaTest(PostgresPrimary primary) throws SQLException {
        this.primary = primary;
        this.onPrimary = primary.superuserDataSource("postgres");
        execute(onPrimary, "CREATE TABLE note (id int PRIMARY KEY, body text)");
    }

    @BeforeEach
    void startReplica() throws SQLException {
        execute(onPrimary, "TRUNCATE note");
        replica = primary.startReplica();
        onReplica = replica.superuserDataSource("postgres");
    }

    @AfterEach
    void closeReplica() {
        replica.close();
    }

    @Test
    void theReplicaIsAHotStandbyInRecoveryThatRefusesWrites() throws SQLException {
        assertThat(text(onReplica, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
        assertThat(text(onPrimary, "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
        assertThat(replica.port()).isNotEqualTo(primary.port());
        assertThatThrownBy(() -> execute(onReplica, "INSERT INTO note VALUES (1, 'no')"))
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        assertThat(text(onPrimary, "SELECT state FROM pg_stat_replication WHERE application_name = 'walreceiver'"))
                .isEqualTo("streaming");
    }

    @Test
    void whatThePrimaryCommitsReachesTheReplica() throws SQLException {
        execute(onPrimary, "INSERT INTO note VALUES (1, 'replicated')");

        replica.awaitCaughtUp();

        assertThat(text(onReplica, "SELECT body FROM note WHERE id = 1")).isEqualTo("replicated");
    }

    @Test
    void whilePausedTheReplicaReceivesNewCommitsButDoesNotShowThemUntilResumed() throws SQLException {
        replica.pauseReplay();
        assertThat(replica.isReplayPaused()).isTrue();

        execute(onPrimary, "INSERT INTO note VALUES (2, 'lagging')");
        String committed = primary.currentWalLsn();

        // the WAL has arrived: only replay holds it back
        Awaitility.await().atMost(1, TimeUnit.MINUTES).until(() -> "true".equals(
                text(onReplica, "SELECT (pg_last_wal_receive_lsn() >= '" + committed + "'::pg_lsn)::text")));
        assertThat(text(onReplica, "SELECT count(*)::text FROM note WHERE id = 2")).isEqualTo("0");
        assertThatThrownBy(() -> replica.awaitReplayOf(committed))
                .isInstanceOf(PostgresServerException.class)
                .hasMessageContaining("replay is paused");

        replica.resumeReplay();
        replica.awaitReplayOf(committed);

        assertThat(replica.isReplayPaused()).isFalse();
        assertThat(text(onReplica, "SELECT body FROM note WHERE id = 2")).isEqualTo("lagging");
    }

    @Test
    void aStoppedReplicaRefusesConnectionsAndCatchesUpOnWhatItMissed() throws SQLException {
        int port = replica.port();
        replica.stop();
        assertThatThrownBy(onReplica::getConnection)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
        execute(onPrimary, "INSERT INTO note VALUES (3, 'while away')");
        // a new WAL segment: the replica needs WAL the slot kept for it
        execute(onPrimary, "SELECT pg_switch_wal()");

        replica.start();
        replica.awaitCaughtUp();

        assertThat(replica.port()).isEqualTo(port);
        assertThat(text(onReplica, "SELECT body FROM note WHERE id = 3")).isEqualTo("while away");
    }

    @Test
    void aPasswordChangedOnThePrimaryHoldsOnTheReplica() throws SQLException {
        primary.createRole("reader_" + replica.port(), "first");
        primary.changePassword("reader_" + replica.port(), "second");
        replica.awaitCaughtUp();

        try (Connection connection = replica.dataSource("postgres", "reader_" + replica.port(), "second").getConnection()) {
            assertThat(text(connection, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
        }
        assertThatThrownBy(() -> replica.dataSource("postgres", "reader_" + replica.port(), "first").getConnection())
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void closingAReplicaDeletesItsFolderAndDropsItsSlotOnThePrimary() throws SQLException {
        String slot = replica.slot();
        assertThat(text(onPrimary, "SELECT count(*)::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .isEqualTo("1");

        replica.close();

        assertThat(replica.folder()).doesNotExist();
        assertThat(text(onPrimary, "SELECT count(*)::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .isEqualTo("0");
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
