package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar, started as a separate process, as the README tells a new user to. */
class DistributionIT {

    @TempDir
    Path home;

    private Path database() {
        return home.resolve("data").resolve("main.db");
    }

    @Test
    void commandsRunWithoutAConsoleAndTheContainerExitsZero() throws Exception {
        try (ContainerProcess container = ContainerProcess.felix(home,
                "--run", "engine:list",
                "--run", "engine:query --write main 'CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)'",
                "--run", "engine:query --write main \"INSERT INTO notes(text) VALUES ('hello')\"",
                "--run", "engine:query main 'SELECT text FROM notes'",
                "--run", "lb")) {
            assertThat(container.awaitExit()).as(container.output()).isZero();
            assertThat(container.output())
                    .contains("main  RUNNING")
                    .contains("hello")
                    // without --web, no web bundle is installed (WebConsoleIT tests the console),
                    // and so none of the health page's either (Felix Health Check, Event Admin, ours)
                    .contains("Apache Felix Gogo Shell").doesNotContain("Jetty").doesNotContain("Web Console")
                    .doesNotContain("Health Check").doesNotContain("EventAdmin").doesNotContain("org.osgi.service.event")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
        assertThat(Files.readString(home.resolve("conf").resolve("dev.sqliteengine.engine-main.cfg"))).contains("path=");
        assertThat(ContainerProcess.integrityWithExclusiveLock(database())).isEqualTo("ok");
    }

    @Test
    void aRelativePathTypedInTheShellLandsInTheDataFolder() throws Exception {
        try (ContainerProcess container = ContainerProcess.felix(home,
                "--run", "engine:create reports path=reports/reports.db",
                "--run", "engine:backup reports backups/reports-copy.db")) {
            assertThat(container.awaitExit()).as(container.output()).isZero();
            assertThat(container.output()).contains("[reports] created dev.sqliteengine.engine~reports (RUNNING): path="
                    + home.resolve("data/reports/reports.db"));
        }
        assertThat(home.resolve("data/reports/reports.db")).isRegularFile();
        assertThat(home.resolve("data/backups/reports-copy.db")).isRegularFile();
    }

    @Test
    void aFailingCommandStopsTheRunWithExitCodeOne() throws Exception {
        try (ContainerProcess container = ContainerProcess.felix(home,
                "--run", "engine:query nosuch 'SELECT 1'",
                "--run", "engine:list")) {
            assertThat(container.awaitExit()).isEqualTo(1);
            assertThat(container.output()).contains("error:").contains("nosuch").doesNotContain("g! engine:list");
        }
    }

    @Test
    void theShellStopsCleanlyAtTheEndOfItsInput() throws Exception {
        try (ContainerProcess container = ContainerProcess.felix(home)) {
            container.awaitOutput("Welcome to Apache Felix Gogo");
            container.type("engine:list");
            container.awaitOutput("main  RUNNING");
            container.closeInput(); // Ctrl-D
            assertThat(container.awaitExit()).isZero();
            assertThat(container.output()).contains("engine closed").doesNotContain("\tat ");
        }
        assertThat(ContainerProcess.integrityWithExclusiveLock(database())).isEqualTo("ok");
    }

    @Test
    void sigtermClosesTheEnginesAndLeavesTheDatabaseConsistent() throws Exception {
        try (ContainerProcess container = ContainerProcess.felix(home)) {
            container.awaitOutput("Welcome to Apache Felix Gogo");
            container.type("engine:query --write main 'CREATE TABLE t(v)'");
            container.type("engine:query --write main 'INSERT INTO t VALUES (1)'");
            container.type("engine:query main 'SELECT count(*) AS rows_in_t FROM t'");
            container.awaitOutput("rows_in_t");
            container.terminate();
            assertThat(container.awaitExit()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
            assertThat(container.output()).contains("engine closed").doesNotContain("\tat ");
        }
        assertThat(ContainerProcess.integrityWithExclusiveLock(database())).isEqualTo("ok");
        assertThat(Files.exists(home.resolve("data").resolve("main.db-wal"))
                && Files.size(home.resolve("data").resolve("main.db-wal")) > 0).as("WAL checkpointed").isFalse();
    }

    @Test
    void anEditedCfgFileReconfiguresTheRunningEngine() throws Exception {
        try (ContainerProcess container = ContainerProcess.felix(home)) {
            container.awaitOutput("Welcome to Apache Felix Gogo");
            Path cfg = home.resolve("conf").resolve("dev.sqliteengine.engine-main.cfg");
            Files.writeString(cfg, Files.readString(cfg) + "pragma.cache_size=-3000\n");
            container.awaitOutput("reconfigured");
            container.type("engine:query main 'PRAGMA cache_size'");
            container.awaitOutput("-3000");
            container.closeInput();
            assertThat(container.awaitExit()).isZero();
        }
    }
}
