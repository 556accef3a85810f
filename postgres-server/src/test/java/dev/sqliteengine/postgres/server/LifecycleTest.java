package dev.sqliteengine.postgres.server;

import static dev.sqliteengine.postgres.server.PostgresPrimaryTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void closeStopsTheServerDeletesItsFolderAndFreesItsPort() throws IOException {
        PostgresPrimary primary = PostgresPrimary.launch();
        int port = primary.port();
        Path folder = primary.folder();
        ProcessHandle postmaster = primary.postmasterProcess().orElseThrow();
        assertThat(folder).isDirectory();

        primary.close();

        assertThat(postmaster.isAlive()).isFalse();
        assertThat(folder).doesNotExist();
        assertThat(primary.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket(PostgresServer.HOST, port).close()).isInstanceOf(ConnectException.class);
        try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getByName(PostgresServer.HOST))) {
            assertThat(free.getLocalPort()).isEqualTo(port);
        }
        primary.close(); // again: nothing happens
    }

    @Test
    void closingAPrimaryClosesItsReplicasFirst() {
        PostgresPrimary primary = PostgresPrimary.launch();
        PostgresReplica replica = primary.startReplica();
        ProcessHandle replicaPostmaster = replica.postmasterProcess().orElseThrow();

        primary.close();

        assertThat(replica.isRunning()).isFalse();
        assertThat(replicaPostmaster.isAlive()).isFalse();
        assertThat(replica.folder()).doesNotExist();
        assertThat(primary.folder()).doesNotExist();
        assertThatThrownBy(primary::startReplica).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPrimaryWithAGivenSuperuserPasswordAndSetting() throws SQLException {
        try (PostgresPrimary primary = PostgresPrimary.builder()
                .superuser("admin")
                .password("it's a secret")
                .setting("work_mem", "8MB")
                .launch()) {
            assertThat(primary.superuser()).isEqualTo("admin");
            assertThat(primary.superuserPassword()).isEqualTo("it's a secret");
            assertThat(text(primary.dataSource("postgres", "admin", "it's a secret"), "SHOW work_mem")).isEqualTo("8MB");
            assertThat(text(primary.superuserDataSource("postgres"), "SELECT count(*)::text FROM pg_roles WHERE rolname = 'postgres'"))
                    .as("initdb made the named superuser, not postgres")
                    .isEqualTo("0");
        }
    }

    @Test
    void aChangedSuperuserPasswordIsTheOneTheServerHandsOut() throws SQLException {
        try (PostgresPrimary primary = PostgresPrimary.launch()) {
            String old = primary.superuserPassword();

            primary.changePassword(primary.superuser(), "rotated");

            assertThat(primary.superuserPassword()).isEqualTo("rotated");
            assertThat(text(primary.superuserDataSource("postgres"), "SELECT current_user")).isEqualTo("postgres");
            assertThatThrownBy(() -> primary.dataSource("postgres", "postgres", old).getConnection())
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        }
    }

    @Test
    void badBuilderInputNamesTheValue() {
        assertThatThrownBy(() -> PostgresPrimary.builder().superuser("Admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("superuser name 'Admin'");
        assertThatThrownBy(() -> PostgresPrimary.builder().setting("work mem", "8MB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'work mem'");
        assertThatThrownBy(() -> PostgresPrimary.builder().setting("work_mem", "8MB\nfsync = off"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("work_mem");
    }
}
