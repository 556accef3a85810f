package dev.sqliteengine.itests.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The {@code engine:*} commands on an engine of {@code type=postgresql}, through Gogo's
 * {@code CommandProcessor} as a shell user runs them: made with {@code engine:create}, shown with
 * its server and the server's version, queried, resized and given a new password with
 * {@code engine:set} (never echoed), a password the server refuses rejected while the engine
 * serves on; {@code engine:backup}, {@code engine:restore} and {@code engine:checkpoint}, which
 * are SQLite's, refused saying what to use instead.
 */
@ExtendWith(PostgresExtension.class)
class PostgresqlEngineCommandsTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    @TempDir
    Path dir;

    ShellSession shell;

    @BeforeEach
    void openSession() {
        shell = new ShellSession(processor);
    }

    @AfterEach
    void closeSession() throws Exception {
        shell.close();
        try (Engines engines = new Engines(context, admin)) {
            var left = admin.listConfigurations("(service.pid=" + EngineProperties.FACTORY_PID + "~shop)");
            if (left != null) {
                left[0].delete();
            }
            engines.awaitGone("shop");
        }
    }

    @Test
    void theCommandsRunOnAServerEngineAndNeverShowItsPassword(PostgresDatabase database) throws Exception {
        String password = database.password();
        String url = database.jdbcUrl();

        String created = shell.run("engine:create shop type=postgresql url=" + url + " user=" + database.user()
                + " password=" + password + " osgi.connection.max=3");
        assertThat(created).startsWith("[shop] created dev.sqliteengine.engine~shop (RUNNING): ")
                .contains("type=postgresql", "url=" + url, "password=********").doesNotContain(password);

        // (a long URL is shortened in the table)
        assertThat(shell.run("engine:list")).containsPattern("(?m)^shop +RUNNING +" + Pattern.quote(url.substring(0, 40)));
        String info = shell.run("engine:info shop");
        assertThat(info).containsPattern("(?m)^Server \\.+ " + Pattern.quote(url) + "$")
                .containsPattern("(?m)^PostgreSQL \\.+ \\d+\\.\\d+")
                .containsPattern("(?m)^type +postgresql$").containsPattern("(?m)^osgi\\.connection\\.max +3$")
                .doesNotContain("File size").doesNotContain("WAL size").doesNotContain(password);

        // pgjdbc counts 0 rows for a statement that changes none, DDL included
        assertThat(shell.run("engine:query --write shop 'CREATE TABLE items (id int PRIMARY KEY, name text)'"))
                .isEqualTo("0 rows changed");
        assertThat(shell.run("engine:query --write shop \"INSERT INTO items VALUES (1, 'book'), (2, 'pen')\""))
                .isEqualTo("2 rows changed");
        assertThat(shell.run("engine:query shop 'SELECT name, current_user AS who FROM items ORDER BY id'"))
                .containsPattern("book +" + database.user()).containsPattern("pen +" + database.user()).contains("(2 rows)");
        assertThatThrownBy(() -> shell.run("engine:query shop \"INSERT INTO items VALUES (3, 'cup')\""))
                .as("a read unit is read-only").isInstanceOf(EngineException.class)
                .hasMessageStartingWith("[shop] a read unit tried to write; run it with write(...) instead");

        String stats = shell.run("engine:stats shop");
        assertThat(stats).containsPattern("(?m)^Commits \\.+ [1-9]").containsPattern("(?m)^Errors \\.+ 1$")
                .containsPattern("ERRORS BY SQLSTATE +COUNT").doesNotContain("WAL size");

        assertThat(shell.run("engine:set shop osgi.connection.max=5")).isEqualTo(
                "[shop] updated dev.sqliteengine.engine~shop: osgi.connection.max=5");
        assertThat(shell.run("engine:info shop")).containsPattern("(?m)^osgi\\.connection\\.max +5$");

        // a new password: the server's first, then the engine's, which logs in anew with it
        String newPassword = "renewed-" + password;
        database.changePassword(newPassword);
        String set = shell.run("engine:set shop password=" + newPassword);
        assertThat(set).isEqualTo("[shop] updated dev.sqliteengine.engine~shop: password=********");
        assertThat(shell.run("engine:stats shop")).containsPattern("(?m)^Reconfigurations \\.+ 2$");
        assertThat(shell.run("engine:query shop 'SELECT count(*) AS items FROM items'")).containsPattern("(?m)^ *2$");

        // a password the server refuses: rejected, and the engine serves on with the one that works
        assertThatThrownBy(() -> shell.run("engine:set shop password=not-the-password"))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("[shop] ")
                .hasMessageContaining("SQLSTATE 28P01")
                .hasMessageContaining("the engine keeps its previous settings")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password").doesNotContain(newPassword));
        assertThat(shell.run("engine:query shop 'SELECT count(*) AS items FROM items'")).containsPattern("(?m)^ *2$");
        assertThat(shell.run("engine:info shop")).doesNotContain(newPassword).doesNotContain("not-the-password");

        assertThatThrownBy(() -> shell.run("engine:backup shop \"" + dir.resolve("shop.db") + "\""))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("[shop] backup to ")
                .hasMessageContaining("an engine of type=postgresql is backed up with the server's tools: pg_dump");
        assertThatThrownBy(() -> shell.run("engine:restore shop \"" + dir.resolve("shop.db") + "\""))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("[shop] restore from ")
                .hasMessageContaining("pg_restore");
        assertThatThrownBy(() -> shell.run("engine:checkpoint shop"))
                .isInstanceOf(EngineException.class)
                .hasMessage("[shop] engine:checkpoint checkpoints a SQLite database's write-ahead log; a PostgreSQL server"
                        + " runs its checkpoints itself (its checkpoint_timeout and max_wal_size settings, or CHECKPOINT run"
                        + " by a superuser)");

        assertThat(shell.run("engine:delete shop")).isEqualTo("[shop] deleted");
    }
}
