package dev.sqliteengine.postgres.server;

import static dev.sqliteengine.postgres.server.PostgresPrimaryTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the engine's "server killed and restarted" tests rely on: each test has a primary of its own. */
@ExtendWith(PostgresExtension.class)
class CrashRestartTest {

    @Test
    void aKilledPrimaryComesBackOnItsPortWithWhatWasCommittedAndWithoutWhatWasNot(PostgresPrimary primary) throws Exception {
        DataSource dataSource = primary.superuserDataSource("postgres");
        int port = primary.port();
        long killedPostmaster = primary.postmasterProcess().orElseThrow().pid();
        try (Connection setup = dataSource.getConnection(); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE ledger (id int PRIMARY KEY)");
            statement.execute("INSERT INTO ledger VALUES (1)");
        }
        try (Connection open = dataSource.getConnection()) {
            open.setAutoCommit(false);
            try (Statement statement = open.createStatement()) {
                statement.execute("INSERT INTO ledger VALUES (2)");
            }

            primary.kill();

            assertThat(primary.isRunning()).isFalse();
            assertThat(ProcessHandle.of(killedPostmaster)).isEmpty();
            // The connection is gone: an I/O error (08006), or, when its backend saw the postmaster
            // die before its own SIGKILL arrived, "terminating connection due to unexpected
            // postmaster exit" (57P01). A client must take both for a lost connection.
            assertThatThrownBy(() -> text(open, "SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).matches("08...|57P01"));
            assertThat(open.isValid(5)).isFalse();
        }

        primary.start();

        assertThat(primary.port()).isEqualTo(port);
        assertThat(text(dataSource, "SELECT string_agg(id::text, ',') FROM ledger")).isEqualTo("1");
        // the proof that it was a crash: PostgreSQL replayed its WAL
        assertThat(Files.readString(primary.logFile())).contains("database system was interrupted")
                .contains("automatic recovery in progress");
    }

    @Test
    void nothingAcknowledgedUnderLoadIsLostWhenThePrimaryIsKilled(PostgresPrimary primary) throws Exception {
        DataSource dataSource = primary.superuserDataSource("postgres");
        try (Connection setup = dataSource.getConnection(); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE event (id int PRIMARY KEY)");
        }
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger nextId = new AtomicInteger();
        AtomicInteger failedWrites = new AtomicInteger();
        CountDownLatch everyWriterFailed = new CountDownLatch(4);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            running.add(writers.submit(() -> {
                try (Connection connection = dataSource.getConnection();
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO event VALUES (?)")) {
                    while (true) {
                        int id = nextId.incrementAndGet();
                        insert.setInt(1, id);
                        insert.executeUpdate(); // auto-commit: acknowledged once it returns
                        acknowledged.add(id);
                    }
                } catch (SQLException e) {
                    failedWrites.incrementAndGet();
                    everyWriterFailed.countDown();
                }
                return null;
            }));
        }
        Awaitility.await().atMost(1, TimeUnit.MINUTES).until(() -> acknowledged.size() >= 200);

        primary.kill();

        assertThat(everyWriterFailed.await(1, TimeUnit.MINUTES)).isTrue();
        for (Future<?> writer : running) {
            writer.get(1, TimeUnit.MINUTES);
        }
        writers.shutdown();
        primary.start();
        List<Integer> stored = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT id FROM event")) {
            while (rows.next()) {
                stored.add(rows.getInt(1));
            }
        }
        assertThat(failedWrites).hasValue(4);
        assertThat(stored).containsAll(acknowledged);
    }

    @Test
    void aStoppedPrimaryRefusesConnectionsAndStartsAgainWithItsData(PostgresPrimary primary) throws SQLException {
        DataSource dataSource = primary.superuserDataSource("postgres");
        try (Connection setup = dataSource.getConnection(); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE kept (id int)");
            statement.execute("INSERT INTO kept VALUES (7)");
        }

        primary.stop();

        assertThat(primary.isRunning()).isFalse();
        assertThat(primary.postmasterProcess()).isEmpty();
        assertThatThrownBy(dataSource::getConnection)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
        assertThat(primary.folder()).isDirectory();

        primary.start();

        assertThat(text(dataSource, "SELECT id::text FROM kept")).isEqualTo("7");
        primary.restart();
        assertThat(text(dataSource, "SELECT id::text FROM kept")).isEqualTo("7");
    }

    @Test
    void aPrimaryWhosePortWasTakenWhileStoppedSaysSoAndStartsOnceItIsFree(PostgresPrimary primary) throws Exception {
        primary.stop();
        try (ServerSocket squatter = new ServerSocket(primary.port(), 1, InetAddress.getByName(PostgresServer.HOST))) {
            assertThatThrownBy(primary::start)
                    .isInstanceOf(PostgresServerException.class)
                    .hasMessageContaining("another process took its port " + primary.port());
        }
        primary.start();
        assertThat(text(primary.superuserDataSource("postgres"), "SELECT 'back'")).isEqualTo("back");
    }

    @Test
    void aTransitionFromTheWrongStateIsRefused(PostgresPrimary primary) {
        assertThatThrownBy(primary::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start: it is running");
        primary.kill();
        assertThatThrownBy(primary::stop)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot stop: it is stopped; start() it first");
        assertThatThrownBy(primary::kill).isInstanceOf(IllegalStateException.class);
        primary.close();
        assertThatThrownBy(primary::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start: it is closed");
    }
}
