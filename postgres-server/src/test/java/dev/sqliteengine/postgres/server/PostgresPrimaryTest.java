package dev.sqliteengine.postgres.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** One primary for the class: the tests here neither stop it nor change its superuser. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPrimaryTest {

    private final PostgresPrimary primary;

    PostgresPrimaryTest(PostgresPrimary primary) {
        this.primary = primary;
    }

    @Test
    void theSuperuserLogsInOverTcpWithItsPassword() throws SQLException {
        try (Connection connection = primary.superuserDataSource("postgres").getConnection()) {
            assertThat(text(connection, "SELECT current_user")).isEqualTo(PostgresPrimary.DEFAULT_SUPERUSER);
            assertThat(text(connection, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")).isEqualTo("true");
            assertThat(text(connection, "SELECT inet_server_addr()::text")).isEqualTo("127.0.0.1/32");
            assertThat(text(connection, "SELECT inet_server_port()::text")).isEqualTo(Integer.toString(primary.port()));
        }
        assertThat(primary.jdbcUrl("postgres")).isEqualTo("jdbc:postgresql://127.0.0.1:" + primary.port() + "/postgres");
    }

    @Test
    void aWrongPasswordIsRefused() {
        DataSource wrong = primary.dataSource("postgres", primary.superuser(), primary.superuserPassword() + "x");
        assertThatThrownBy(wrong::getConnection)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void runsWithTheTestSettings() throws SQLException {
        try (Connection connection = primary.superuserDataSource("postgres").getConnection()) {
            assertThat(text(connection, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(text(connection, "SHOW max_connections")).isEqualTo("300");
            assertThat(text(connection, "SHOW wal_level")).isEqualTo("replica");
            assertThat(text(connection, "SHOW hot_standby")).isEqualTo("on");
            assertThat(text(connection, "SHOW lc_messages")).isEqualTo("C");
            assertThat(text(connection, "SHOW server_encoding")).isEqualTo("UTF8");
            // durability stays at PostgreSQL's defaults
            assertThat(text(connection, "SHOW fsync")).isEqualTo("on");
            assertThat(text(connection, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(text(connection, "SHOW password_encryption")).isEqualTo("scram-sha-256");
        }
    }

    @Test
    void aCreatedDatabaseBelongsToItsOwnRole() throws SQLException {
        PostgresDatabase orders = primary.createDatabase("orders");
        try (Connection connection = orders.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE item (id int PRIMARY KEY, name text)");
            statement.execute("INSERT INTO item VALUES (1, 'pen')");
            assertThat(text(connection, "SELECT name FROM item WHERE id = 1")).isEqualTo("pen");
            assertThat(text(connection, "SELECT current_user")).isEqualTo("orders");
            assertThat(text(connection, "SELECT current_database()")).isEqualTo("orders");
        }
        assertThat(orders.jdbcUrl()).isEqualTo(primary.jdbcUrl("orders"));

        orders.close();
        assertThat(text(primary.superuserDataSource("postgres"), "SELECT count(*)::text FROM pg_database WHERE datname = 'orders'"))
                .isEqualTo("0");
    }

    @Test
    void aPasswordChangedOnTheServerRefusesTheOldOneAndKeepsOpenSessions() throws SQLException {
        PostgresDatabase billing = primary.createDatabase("billing");
        DataSource withOldPassword = billing.dataSource();
        try (Connection open = withOldPassword.getConnection()) {
            billing.changePassword("n3w-Pass'word");

            assertThatThrownBy(withOldPassword::getConnection)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
            try (Connection fresh = billing.dataSource().getConnection()) {
                assertThat(text(fresh, "SELECT current_user")).isEqualTo("billing");
            }
            assertThat(text(open, "SELECT 'still here'")).isEqualTo("still here");
        }
        billing.close();
    }

    @Test
    void aRoleWithAPassword() throws SQLException {
        primary.createRole("reporter", "report-only");
        try (Connection connection = primary.dataSource("postgres", "reporter", "report-only").getConnection()) {
            assertThat(text(connection, "SELECT current_user")).isEqualTo("reporter");
        }
    }

    @Test
    void namesThatWouldNeedQuotingAreRefusedWithTheValue() {
        assertThatThrownBy(() -> primary.createDatabase("Orders; DROP ROLE postgres"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Orders; DROP ROLE postgres'")
                .hasMessageContaining("a-z, 0-9 and '_'");
        assertThatThrownBy(() -> primary.createRole("ok", "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one line");
    }

    @Test
    void runsAsThePostgresAccountWhenTheJvmIsRootElseAsItsUser() throws Exception {
        String expected = ServerAccount.runsAsRoot() ? "postgres" : System.getProperty("user.name");
        assertThat(primary.postmasterProcess()).hasValueSatisfying(
                postmaster -> assertThat(postmaster.info().user()).hasValue(expected));
        assertThat(Files.getOwner(primary.dataFolder()).getName()).isEqualTo(expected);
        assertThat(Files.getOwner(primary.folder()).getName()).isEqualTo(expected);
    }

    @Test
    void pgjdbcAndThisLibraryAreNamedModulesOnTheModulePath() {
        assertThat(PostgresPrimary.class.getModule().getName()).isEqualTo("dev.sqliteengine.postgres.server");
        assertThat(org.postgresql.ds.PGSimpleDataSource.class.getModule().getName()).isEqualTo("org.postgresql.jdbc");
    }

    static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).as("a row from %s", sql).isTrue();
            return row.getString(1);
        }
    }

    static String text(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return text(connection, sql);
        }
    }
}
