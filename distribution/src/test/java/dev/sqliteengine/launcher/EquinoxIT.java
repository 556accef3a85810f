package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same bundles on Eclipse Equinox, the framework of Kura gateways and Eclipse RCP
 * applications: create, query, live update and delete an engine.
 */
class EquinoxIT {

    @TempDir
    Path home;

    @Test
    void theCoreScenarioRunsOnEquinox() throws Exception {
        Path file = home.resolve("eq.db");
        try (ContainerProcess container = ContainerProcess.equinox(home,
                "--run", "engine:create eq " + file + " osgi.connection.max=3",
                "--run", "engine:query --write eq 'CREATE TABLE t(v)'",
                "--run", "engine:query --write eq 'INSERT INTO t VALUES (42)'",
                "--run", "engine:query eq 'SELECT v AS answer FROM t'",
                "--run", "engine:set eq pragma.cache_size=-1234",
                "--run", "engine:query eq 'PRAGMA cache_size'",
                "--run", "engine:delete eq",
                "--run", "engine:list")) {
            assertThat(container.awaitExit()).as(container.output()).isZero();
            String out = container.output();
            assertThat(out).contains("answer").contains("42").contains("-1234").doesNotContain("\tat ");
            assertThat(out.substring(out.lastIndexOf("g! engine:list"))).doesNotContain("eq ");
        }
        assertThat(ContainerProcess.integrityWithExclusiveLock(file)).isEqualTo("ok");
    }
}
