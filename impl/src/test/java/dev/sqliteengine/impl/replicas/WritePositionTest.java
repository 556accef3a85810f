package dev.sqliteengine.impl.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.impl.database.Replication;
import dev.sqliteengine.impl.postgresql.PostgresqlType;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine's last commit position, on a real server: it covers every commit whose position was
 * asked, from any thread; a question that fails makes it unknown (reads then run on the primary)
 * until a position asked after the failure comes in; another server's positions start afresh.
 */
@ExtendWith(PostgresExtension.class)
class WritePositionTest {

    private static final String SERVER = "jdbc:postgresql://primary/db";
    private final Replication replication = new PostgresqlType().replication();
    private final WritePosition written = new WritePosition();

    private static long commit(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t DEFAULT VALUES");
            // Flushed, the commit just made is: the flush position is at or after its end.
            try (ResultSet r = s.executeQuery("SELECT (pg_current_wal_flush_lsn() - '0/0')::bigint")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Test
    void everyThreadsCommitIsCoveredOnceItsPositionWasAsked(PostgresDatabase database) throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            c.createStatement().execute("CREATE TABLE t(id bigserial PRIMARY KEY)");
        }
        assertThat(written.target(SERVER)).as("nothing committed yet").isZero();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            workers.add(threads.submit(() -> {
                try (Connection c = database.dataSource().getConnection()) {
                    for (int i = 0; i < 50; i++) {
                        long mine = commit(c);
                        written.committed(c, SERVER, replication);
                        assertThat(written.target(SERVER)).as("covers this thread's commit").isGreaterThanOrEqualTo(mine);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();
    }

    @Test
    void aFailedQuestionMakesThePositionUnknownUntilOneAskedAfterItIsAnswered(PostgresDatabase database)
            throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
            c.createStatement().execute("CREATE TABLE t(id bigserial PRIMARY KEY)");
            written.committed(c, SERVER, replication);
            long before = written.target(SERVER);
            Connection broken = database.dataSource().getConnection();
            broken.close();

            written.committed(broken, SERVER, replication);
            assertThat(written.target(SERVER)).isEqualTo(WritePosition.UNKNOWN);

            long next = commit(c);
            written.committed(c, SERVER, replication);
            assertThat(written.target(SERVER)).isGreaterThanOrEqualTo(next).isGreaterThan(before)
                    .isNotEqualTo(WritePosition.UNKNOWN);
        }
    }

    @Test
    void anotherServersPositionsStartAfresh(PostgresDatabase database) throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
            written.committed(c, SERVER, replication);

            assertThat(written.target("jdbc:postgresql://another/db")).isZero();
            written.committed(c, "jdbc:postgresql://another/db", replication);
            assertThat(written.target(SERVER)).as("the first server's positions are gone").isZero();
            assertThat(written.target("jdbc:postgresql://another/db")).isPositive();
        }
    }
}
