package dev.sqliteengine.itests.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.api.EngineProperties;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** The engine:* commands, run through the Gogo CommandProcessor as a shell user would. */
class EngineCommandsTest {

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    EngineFactory factory;

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path dir;

    CommandSession session;

    /** What the session printed: the commands print there, as Karaf's non-interactive shells need. */
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void openSession() {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @AfterEach
    void closeSession() throws Exception {
        session.close();
        ConfigTestSupport.deleteAll(admin, context);
    }

    /**
     * Runs a command as {@code bin/client} would: what it returns is not printed there, so it
     * must print everything a person reads itself, and return nothing a shell would print twice.
     *
     * @return what the command printed, without the last line break
     */
    private String run(String command) throws Exception {
        printed.reset();
        Object returned = session.execute(command);
        assertThat(returned).as("what %s returns (an interactive shell would print it a second time)", command).isNull();
        return printed.toString(StandardCharsets.UTF_8).stripTrailing();
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void awaitRunning(String name) {
        await().atMost(EngineConfigurationsTest.STARTUP).until(() -> ConfigTestSupport.engine(context, name).isPresent());
    }

    @Test
    void the_gogo_import_is_optional_so_the_bundle_runs_without_a_shell() {
        Bundle bundle = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "dev.sqliteengine.config".equals(b.getSymbolicName())).findFirst().orElseThrow();

        assertThat(bundle.getHeaders().get("Import-Package"))
                // attributes up to the next clause; a quoted version range has a comma of its own
                .containsPattern("org\\.apache\\.felix\\.service\\.command;(?:[^,\"]|\"[^\"]*\")*resolution:=optional");
    }

    @Test
    void every_command_prints_to_the_session_what_a_person_reads() throws Exception {
        run("engine:create cfgPrint \"" + file("print.db") + "\"");
        awaitRunning("cfgPrint");

        assertThat(run("engine:list")).contains("NAME", "cfgPrint", "RUNNING");
        assertThat(run("engine:info cfgPrint")).contains("Engine", "cfgPrint");
        assertThat(run("engine:stats cfgPrint")).contains("Commits");
        assertThat(run("engine:query cfgPrint \"select 42 as answer\"")).contains("answer", "42");
        assertThat(run("engine:set cfgPrint osgi.connection.max=3")).contains("[cfgPrint] updated");
        assertThat(run("engine:checkpoint cfgPrint")).contains("[cfgPrint] checkpoint");
        assertThat(run("engine:backup cfgPrint \"" + file("print-copy.db") + "\"")).contains("[cfgPrint] backed up");
        assertThat(run("engine:delete cfgPrint")).isEqualTo("[cfgPrint] deleted");
    }

    @Nested
    class Managing {

        @Test
        void create_stores_a_validated_configuration_and_list_shows_the_engine_running() throws Exception {
            String created = run("engine:create cfgShell \"" + file("shell.db") + "\" osgi.connection.max=4");

            assertThat(created).startsWith("[cfgShell] created dev.sqliteengine.engine~cfgShell")
                    .contains("osgi.connection.max=4");
            await().atMost(EngineConfigurationsTest.STARTUP).until(() -> run("engine:list"),
                    list -> list.lines().anyMatch(l -> l.startsWith("cfgShell") && l.contains("RUNNING")));
            assertThat(run("engine:list").lines().findFirst()).get().asString()
                    .startsWith("NAME").contains("STATE").contains("PATH");
        }

        @Test
        void create_with_an_invalid_value_fails_with_one_line_naming_the_property_and_stores_nothing() throws Exception {
            assertThatThrownBy(() -> run("engine:create cfgBadShell \"" + file("bad.db") + "\" osgi.connection.max=0"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("[cfgBadShell] osgi.connection.max=0 is invalid")
                    .extracting(Throwable::getMessage).asString().doesNotContain("\n");

            assertThat(admin.listConfigurations("(service.pid=dev.sqliteengine.engine~cfgBadShell)")).isNull();
        }

        @Test
        void create_refuses_an_argument_that_is_not_key_value() {
            assertThatThrownBy(() -> run("engine:create cfgArg \"" + file("arg.db") + "\" osgi.connection.max"))
                    .hasMessage("expected key=value, got 'osgi.connection.max'");
        }

        @Test
        void set_changes_a_live_engine_through_config_admin() throws Exception {
            run("engine:create cfgSet \"" + file("set.db") + "\"");
            awaitRunning("cfgSet");

            String updated = run("engine:set cfgSet osgi.connection.max=3 pragma.synchronous=FULL");

            assertThat(updated).isEqualTo("[cfgSet] updated dev.sqliteengine.engine~cfgSet:"
                    + " osgi.connection.max=3, pragma.synchronous=FULL");
            Engine engine = ConfigTestSupport.engine(context, "cfgSet").orElseThrow();
            await().atMost(EngineConfigurationsTest.STARTUP)
                    .until(() -> engine.status().settings().get(EngineProperties.CONNECTION_MAX), max -> Integer.valueOf(3).equals(max));
        }

        @Test
        void set_with_an_invalid_value_fails_and_the_engine_keeps_its_settings() throws Exception {
            run("engine:create cfgSetBad \"" + file("setbad.db") + "\" osgi.connection.max=4");
            awaitRunning("cfgSetBad");

            assertThatThrownBy(() -> run("engine:set cfgSetBad pragma.journal_mode=SIDEWAYS"))
                    .hasMessageStartingWith("[cfgSetBad] pragma.journal_mode=SIDEWAYS is invalid");

            assertThat(run("engine:info cfgSetBad")).doesNotContain("SIDEWAYS");
        }

        @Test
        void delete_removes_the_engine_and_a_second_delete_says_there_is_none() throws Exception {
            run("engine:create cfgGone \"" + file("gone.db") + "\"");
            awaitRunning("cfgGone");

            assertThat(run("engine:delete cfgGone")).isEqualTo("[cfgGone] deleted");

            await().atMost(EngineConfigurationsTest.STARTUP).until(() -> ConfigTestSupport.engine(context, "cfgGone").isEmpty());
            assertThatThrownBy(() -> run("engine:delete cfgGone"))
                    .isInstanceOf(EngineException.class)
                    .hasMessage("[cfgGone] no engine named cfgGone (engine:list shows them)");
        }

        @Test
        void passwords_never_appear_in_the_output() throws Exception {
            String created = run("engine:create cfgPw \"" + file("pw.db") + "\" .password=hunter2");
            awaitRunning("cfgPw");

            assertThat(created).contains(".password=********").doesNotContain("hunter2");
            assertThat(run("engine:info cfgPw")).doesNotContain("hunter2");
            assertThat(run("engine:list")).doesNotContain("hunter2");
        }
    }

    @Nested
    class Inspecting {

        @BeforeEach
        void runningEngine() throws Exception {
            run("engine:create cfgInfo \"" + file("info.db") + "\"");
            awaitRunning("cfgInfo");
        }

        @Test
        void info_shows_state_file_and_wal_sizes_sqlite_version_pools_and_settings() throws Exception {
            String info = run("engine:info cfgInfo");

            assertThat(info).contains("State", "RUNNING", "File size", "WAL size", "SQLite", "POOL",
                    "Effective settings:", EngineProperties.CONNECTION_MAX, file("info.db"));
            assertThat(info).containsPattern("SQLite \\.+ 3\\.\\d+");
            assertThat(info).as("a setting that merely mentions keys is no secret")
                    .containsPattern("pragma\\.foreign_keys +ON");
        }

        @Test
        void stats_shows_counters_and_pool_figures() throws Exception {
            run("engine:query --write cfgInfo \"create table t(x)\"");

            String stats = run("engine:stats cfgInfo");

            assertThat(stats).containsPattern("Commits \\.+ 1").contains("Rollbacks", "Errors", "POOL", "writer");
        }

        @Test
        void info_of_an_unknown_engine_fails_with_one_clear_line() {
            assertThatThrownBy(() -> run("engine:info cfgNope"))
                    .hasMessage("[cfgNope] no engine named cfgNope (engine:list shows them)");
        }
    }

    @Nested
    class Sql {

        @BeforeEach
        void engineWithRows() throws Exception {
            run("engine:create cfgSql \"" + file("sql.db") + "\"");
            awaitRunning("cfgSql");
            run("engine:query --write cfgSql \"create table person(id integer primary key, name text)\"");
        }

        @Test
        void write_runs_in_a_write_unit_and_reports_the_changed_rows() throws Exception {
            assertThat(run("engine:query --write cfgSql \"insert into person(name) values ('ada'), ('bob'), (null)\""))
                    .isEqualTo("3 rows changed");
        }

        @Test
        void a_query_shows_its_rows_as_a_table() throws Exception {
            run("engine:query --write cfgSql \"insert into person(name) values ('ada'), ('bob'), (null)\"");

            assertThat(run("engine:query cfgSql \"select id, name from person order by id\"")).isEqualTo("""
                    id  name
                    --  ----
                     1  ada
                     2  bob
                     3  NULL
                    (3 rows)""");
        }

        @Test
        void the_row_limit_cuts_the_output_and_says_so() throws Exception {
            run("engine:query --write cfgSql \"insert into person(name) values ('ada'), ('bob'), ('cy')\"");

            String rows = run("engine:query --limit 2 cfgSql \"select name from person order by id\"");

            assertThat(rows).contains("ada", "bob").doesNotContain("cy")
                    .endsWith("(first 2 rows shown; more were not fetched: raise --limit)");
        }

        @Test
        void without_write_a_statement_that_changes_the_database_is_refused() {
            assertThatThrownBy(() -> run("engine:query cfgSql \"insert into person(name) values ('eve')\""))
                    .isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("[cfgSql]");
        }

        @Test
        void checkpoint_truncates_the_wal_and_reports_the_result_row() throws Exception {
            run("engine:query --write cfgSql \"insert into person(name) values ('ada')\"");

            String result = run("engine:checkpoint cfgSql");

            assertThat(result).startsWith("[cfgSql] checkpoint (TRUNCATE): busy=0, log=0, checkpointed=0");
            assertThat(Files.size(Path.of(file("sql.db") + "-wal"))).isZero();
        }

        @Test
        void backup_copies_the_live_database_into_a_new_file() throws Exception {
            run("engine:query --write cfgSql \"insert into person(name) values ('ada'), ('bob')\"");
            Path target = dir.resolve("backups").resolve("copy.db");

            String result = run("engine:backup cfgSql \"" + target + "\"");

            assertThat(result).startsWith("[cfgSql] backed up to " + target + " (");
            try (Engine copy = factory.create(Map.of(EngineProperties.NAME, "cfgCopy", EngineProperties.PATH, target.toString()))) {
                int rows = copy.connections().read(c -> {
                    try (var rs = c.createStatement().executeQuery("select count(*) from person")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                });
                assertThat(rows).isEqualTo(2);
            }
        }

        @Test
        void backup_refuses_to_overwrite_a_file() throws Exception {
            Path existing = Files.writeString(dir.resolve("existing.db"), "keep me");

            assertThatThrownBy(() -> run("engine:backup cfgSql \"" + existing + "\""))
                    .hasMessage("[cfgSql] " + existing + " exists; back up to a new file");
            assertThat(Files.readString(existing)).isEqualTo("keep me");
        }
    }
}
