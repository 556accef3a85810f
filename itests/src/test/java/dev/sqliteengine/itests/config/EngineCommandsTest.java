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
import java.nio.file.attribute.PosixFilePermission;
import java.util.Hashtable;
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
import org.osgi.service.cm.Configuration;
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

    /** Runs the action with a system property set: Felix's framework properties fall back to them. */
    private static void withProperty(String key, String value, ThrowingRunnable action) throws Exception {
        String previous = System.setProperty(key, value);
        try {
            action.run();
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
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
                    .hasMessage("[cfgArg] expected key=value, got 'osgi.connection.max'");
        }

        @Test
        void create_refuses_to_overwrite_a_configuration_of_that_name_that_names_another_engine() throws Exception {
            // as a FileInstall file dev.sqliteengine.engine-cfgFile.cfg that says name=cfgOther would
            Configuration other = admin.getFactoryConfiguration(EngineProperties.FACTORY_PID, "cfgFile", "?");
            other.update(new Hashtable<>(Map.of(EngineProperties.NAME, "cfgOther", EngineProperties.PATH, file("other.db"))));
            awaitRunning("cfgOther");

            assertThatThrownBy(() -> run("engine:create cfgFile \"" + file("file.db") + "\""))
                    .isInstanceOf(EngineException.class)
                    .hasMessage("[cfgFile] the configuration dev.sqliteengine.engine~cfgFile exists already and names"
                            + " the engine cfgOther; choose another name, or change that configuration");

            Configuration kept = admin.listConfigurations("(service.pid=dev.sqliteengine.engine~cfgFile)")[0];
            assertThat(kept.getProperties().get(EngineProperties.NAME)).isEqualTo("cfgOther");
            assertThat(kept.getProperties().get(EngineProperties.PATH)).isEqualTo(file("other.db"));
            assertThat(ConfigTestSupport.engine(context, "cfgOther")).isPresent();
        }

        @Test
        void create_takes_the_path_as_a_key_value_like_any_other_property() throws Exception {
            run("engine:create cfgKv path=\"" + file("kv.db") + "\" osgi.connection.max=3");
            awaitRunning("cfgKv");

            assertThat(ConfigTestSupport.engine(context, "cfgKv").orElseThrow().status().path()).isEqualTo(file("kv.db"));
        }

        @Test
        void create_refuses_a_path_given_twice() {
            assertThatThrownBy(() -> run("engine:create cfgTwice \"" + file("a.db") + "\" path=\"" + file("b.db") + "\""))
                    .hasMessage("[cfgTwice] the path is given twice: '" + file("a.db") + "' and path=" + file("b.db"));
        }

        @Test
        void create_refuses_a_path_that_looks_like_a_mistaken_key_value_and_stores_nothing() throws Exception {
            assertThatThrownBy(() -> run("engine:create cfgMistake path=path=mistake.db"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("[cfgMistake] path=path=mistake.db looks like a mistaken key=value, not a file;"
                            + " a file whose name really is so is given as path=./path=mistake.db");
            assertThatThrownBy(() -> run("engine:create cfgMistake \"" + file("x") + "=1.db\""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("[cfgMistake] '" + file("x") + "=1.db' is not key=value ('" + file("x")
                            + "' is no property name); a path with '=' in it is given as path=" + file("x") + "=1.db");

            assertThat(admin.listConfigurations("(service.pid=dev.sqliteengine.engine~cfgMistake)")).isNull();
        }

        @Test
        void a_relative_path_typed_in_the_shell_resolves_against_the_data_folder() throws Exception {
            Path data = dir.resolve("data");
            withProperty("dev.sqliteengine.dataDir", data.toString(), () -> {
                run("engine:create cfgRel path=rel/engine.db");
                awaitRunning("cfgRel");
                run("engine:set cfgRel path=rel/moved.db");
            });

            assertThat(admin.listConfigurations("(service.pid=dev.sqliteengine.engine~cfgRel)")[0].getProperties()
                    .get(EngineProperties.PATH)).isEqualTo(data.resolve("rel/moved.db").toString());
            await().atMost(EngineConfigurationsTest.STARTUP)
                    .until(() -> ConfigTestSupport.engine(context, "cfgRel").orElseThrow().status().path(),
                            path -> path.equals(data.resolve("rel/moved.db").toString()));
        }

        @Test
        void list_info_and_create_show_a_configuration_whose_database_cannot_open_as_FAILED_with_the_reason()
                throws Exception {
            Path text = Files.writeString(dir.resolve("text.db"), "plain text, not SQLite ".repeat(200));

            assertThatThrownBy(() -> run("engine:create cfgBroken \"" + text + "\""))
                    .isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("[cfgBroken] created dev.sqliteengine.engine~cfgBroken, but the engine FAILED:")
                    .hasMessageContaining("not a database");

            assertThat(run("engine:list").lines().filter(l -> l.startsWith("cfgBroken")))
                    .singleElement().asString().contains("FAILED", "not a database");
            assertThat(run("engine:info cfgBroken")).containsPattern("State \\.+ FAILED")
                    .containsPattern("Failed \\.+ \\[cfgBroken\\] .*not a database");
        }

        @Test
        void set_of_a_value_equal_to_the_effective_one_but_spelled_differently_says_at_once_that_nothing_changed()
                throws Exception {
            run("engine:create cfgSame \"" + file("same.db") + "\"");
            awaitRunning("cfgSame");

            long start = System.nanoTime();
            String result = run("engine:set cfgSame pragma.foreign_keys=1 osgi.connection.max=10");

            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(3));
            assertThat(result).isEqualTo("[cfgSame] nothing to change: the engine runs with"
                    + " pragma.foreign_keys=1, osgi.connection.max=10 already");
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
        void the_largest_row_limit_shows_every_row() throws Exception {
            run("engine:query --write cfgSql \"insert into person(name) values ('ada'), ('bob'), ('cy')\"");

            assertThat(run("engine:query -n 2147483647 cfgSql \"select name from person order by id\""))
                    .contains("ada", "bob", "cy").endsWith("(3 rows)");
        }

        @Test
        void terminal_control_sequences_in_the_data_reach_the_terminal_escaped() throws Exception {
            String shown = run("engine:query cfgSql \"select char(27) || '[2J' || char(27) || ']0;owned' || char(7)"
                    + " || char(155) || 'x' as t\"");

            assertThat(shown).doesNotContain("\u001b", "\u0007", "\u009b")
                    .contains("\\u001b[2J\\u001b]0;owned\\u0007\\u009bx");
        }

        @Test
        void a_failed_checkpoint_shows_sqlites_extended_result_code() throws Exception {
            run("engine:query --write cfgSql \"insert into person(name) values ('ada')\"");
            // A copy of the live files, WAL frames included, opened read-only: the checkpoint
            // cannot write the frames back, and SQLite says so with SQLITE_IOERR_WRITE (778).
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.copy(Path.of(file("sql.db") + suffix), Path.of(file("copy.db") + suffix));
            }
            run("engine:create cfgReadOnly \"" + file("copy.db") + "\" readOnly=true");
            awaitRunning("cfgReadOnly");

            assertThatThrownBy(() -> run("engine:checkpoint cfgReadOnly"))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.resultCode()).isEqualTo(778))
                    .hasMessageStartingWith("[cfgReadOnly] checkpoint failed (SQLITE_IOERR_WRITE, 778): ");
        }

        @Test
        void a_backup_is_readable_and_writable_by_its_owner_only() throws Exception {
            Path target = dir.resolve("backups").resolve("private.db");

            run("engine:backup cfgSql \"" + target + "\"");

            assertThat(Files.getPosixFilePermissions(target))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }

        @Test
        void a_backup_outside_the_allowed_root_is_refused_and_nothing_is_written_there() throws Exception {
            Path root = Files.createDirectories(dir.resolve("root"));
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            Files.createSymbolicLink(root.resolve("link"), elsewhere);

            withProperty("dev.sqliteengine.allowedRoot", root.toString(), () -> {
                assertThatThrownBy(() -> run("engine:backup cfgSql \"" + dir.resolve("outside.db") + "\""))
                        .isInstanceOf(EngineException.class)
                        .hasMessage("[cfgSql] a backup must stay below the allowed root " + root
                                + " (framework property dev.sqliteengine.allowedRoot), but " + dir.resolve("outside.db")
                                + " resolves to " + dir.toRealPath().resolve("outside.db"));
                assertThatThrownBy(() -> run("engine:backup cfgSql \"" + root.resolve("link/copy.db") + "\""))
                        .isInstanceOf(EngineException.class)
                        .hasMessageContaining("resolves to " + elsewhere.toRealPath().resolve("copy.db"));
                run("engine:backup cfgSql \"" + root.resolve("inside/copy.db") + "\"");
            });

            assertThat(dir.resolve("outside.db")).doesNotExist();
            assertThat(elsewhere.resolve("copy.db")).doesNotExist();
            assertThat(root.resolve("inside/copy.db")).isRegularFile();
        }

        @Test
        void a_relative_backup_file_resolves_against_the_data_folder() throws Exception {
            Path data = dir.resolve("data");

            withProperty("dev.sqliteengine.dataDir", data.toString(),
                    () -> run("engine:backup cfgSql backups/relative.db"));

            assertThat(data.resolve("backups/relative.db")).isRegularFile();
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
