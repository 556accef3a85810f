package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar keeps what the operator did across a restart: engines made, changed and
 * deleted in the shell, and edits of the {@code .cfg} files, made while the container runs or
 * while it is stopped. Each container run here is a separate process started with {@code --run},
 * which exits once its commands ran, as a script would use it.
 */
class RestartIT {

    static final String MAIN_CFG = "dev.sqliteengine.engine-main.cfg";

    @TempDir
    Path home;

    @Test
    void enginesCreatedAndChangedInTheShellAreThereAfterARestart() throws Exception {
        Path extra = home.resolve("data").resolve("extra.db");
        run("engine:create extra " + extra + " osgi.connection.max=3",
                "engine:set main osgi.connection.max=7",
                "engine:query --write extra 'CREATE TABLE t(v)'",
                "engine:query --write extra 'INSERT INTO t VALUES (42)'");

        String out = run("engine:list", "engine:info main", "engine:info extra",
                "engine:query extra 'SELECT v AS answer FROM t'");

        assertThat(section(out, "engine:list")).containsPattern(line("main\\s+RUNNING\\s.*")).containsPattern(line("extra\\s+RUNNING\\s.*"));
        assertThat(section(out, "engine:info main")).containsPattern(setting("osgi.connection.max", "7"));
        assertThat(section(out, "engine:info extra")).containsPattern(setting("osgi.connection.max", "3"))
                .contains(extra.toString());
        assertThat(section(out, "engine:query extra")).containsPattern(line("\\s*42"));
    }

    @Test
    void anEngineDeletedInTheShellStaysDeletedAfterARestartAlsoWhenItCameFromACfgFile() throws Exception {
        run("engine:list"); // the first start writes main's .cfg
        run("engine:create extra " + home.resolve("data").resolve("extra.db"),
                "engine:delete extra",
                "engine:delete main");

        assertThat(home.resolve("conf").resolve(MAIN_CFG)).as("the deleted engine's .cfg file").doesNotExist();
        String out = run("engine:list");

        assertThat(section(out, "engine:list")).doesNotContainPattern(line("main\\s.*")).doesNotContainPattern(line("extra\\s.*"));
    }

    @Test
    void aCfgFileAddedForAnEngineMadeInTheShellTakesItOverAndDeletingItDeletesTheFile() throws Exception {
        run("engine:create reports " + home.resolve("data").resolve("reports.db") + " osgi.connection.max=3");
        Path cfg = home.resolve("conf").resolve("dev.sqliteengine.engine-reports.cfg");
        Files.writeString(cfg, "path=" + home.resolve("data").resolve("reports.db") + "\nosgi.connection.max=5\n");

        String out = run("engine:info reports", "engine:delete reports");

        assertThat(section(out, "engine:info reports")).containsPattern(setting("osgi.connection.max", "5"));
        assertThat(cfg).as("the .cfg of the deleted engine").doesNotExist();
        assertThat(section(run("engine:list"), "engine:list")).doesNotContainPattern(line("reports\\s.*"));
    }

    @Test
    void aCfgFileEditedWhileTheContainerWasStoppedIsAppliedAtTheNextStart() throws Exception {
        run("engine:list");
        Path cfg = home.resolve("conf").resolve(MAIN_CFG);
        Files.writeString(cfg, Files.readString(cfg).replace("osgi.connection.max=4", "osgi.connection.max=5")
                + "pragma.cache_size=-3000\n");

        String out = run("engine:info main", "engine:query main 'PRAGMA cache_size'");

        assertThat(section(out, "engine:info main")).containsPattern(setting("osgi.connection.max", "5"));
        assertThat(section(out, "engine:query main")).containsPattern(line("\\s*-3000"));
    }

    @Test
    void aCfgFileAddedWhileTheContainerWasStoppedStartsItsEngineAndKeepsItsContent() throws Exception {
        run("engine:list");
        Path cfg = home.resolve("conf").resolve("dev.sqliteengine.engine-reports.cfg");
        String content = "path=" + home.resolve("data").resolve("reports.db") + "\nosgi.connection.max=3\n";
        Files.writeString(cfg, content);

        String out = run("engine:info reports");

        assertThat(section(out, "engine:info reports")).containsPattern(setting("osgi.connection.max", "3"));
        assertThat(cfg).as("the file FileInstall wrote back").hasContent(content.strip());
    }

    @Test
    void aCfgFileThatEngineSetWroteBackReadsBackTheSameAndCanBeEditedInItsTypedSyntax() throws Exception {
        run("engine:set main osgi.connection.max=7");
        Path cfg = home.resolve("conf").resolve(MAIN_CFG);
        String written = Files.readString(cfg);
        assertThat(written).as("the .cfg after engine:set").contains("osgi.connection.max = I\"7\"")
                .contains("# The default engine");

        String unchanged = run("engine:info main");
        assertThat(section(unchanged, "engine:info main")).containsPattern(setting("osgi.connection.max", "7"));

        Files.writeString(cfg, Files.readString(cfg).replace("I\"7\"", "I\"6\"") + "pragma.cache_size = I\"-3000\"\n");
        String edited = run("engine:info main", "engine:query main 'PRAGMA cache_size'");

        assertThat(section(edited, "engine:info main")).containsPattern(setting("osgi.connection.max", "6"));
        assertThat(section(edited, "engine:query main")).containsPattern(line("\\s*-3000"));
    }

    @Test
    void aPlainLineAddedToACfgFileThatEngineSetWroteBackKeepsTheWholeFileValidAfterARestart() throws Exception {
        run("engine:set main osgi.connection.max=7");
        Path cfg = home.resolve("conf").resolve(MAIN_CFG);
        Files.writeString(cfg, Files.readString(cfg) + "pragma.cache_size=-3000\n");

        String out = run("engine:info main", "engine:query main 'PRAGMA cache_size'");

        assertThat(out).contains("conf/" + MAIN_CFG + " mixed FileInstall's typed syntax");
        assertThat(section(out, "engine:info main")).containsPattern(setting("osgi.connection.max", "7"))
                .containsPattern(setting("name", "main"));
        assertThat(section(out, "engine:query main")).containsPattern(line("\\s*-3000"));
        assertThat(Files.readString(cfg)).contains("pragma.cache_size = \"-3000\"");
    }

    @Test
    void aCfgFileRemovedWhileTheContainerWasStoppedTakesItsEngineAlong() throws Exception {
        run("engine:list");
        Files.delete(home.resolve("conf").resolve(MAIN_CFG));

        String out = run("engine:list");

        assertThat(out).contains(MAIN_CFG + " was removed");
        assertThat(section(out, "engine:list")).doesNotContainPattern(line("main\\s.*"));
    }

    @Test
    void aCfgFileRemovedWhileTheContainerRunsRemovesItsEngineForGood() throws Exception {
        try (ContainerProcess container = ContainerProcess.felix(home)) {
            container.awaitOutput("Welcome to Apache Felix Gogo");
            Files.delete(home.resolve("conf").resolve(MAIN_CFG));
            container.awaitOutput("engine closed");
            container.closeInput();
            assertThat(container.awaitExit()).as(container.output()).isZero();
        }

        String out = run("engine:list");

        assertThat(section(out, "engine:list")).doesNotContainPattern(line("main\\s.*"));
    }

    @Test
    void cleanForgetsTheEnginesMadeInTheShellAndStartsFromTheCfgFiles() throws Exception {
        run("engine:create extra " + home.resolve("data").resolve("extra.db"));

        String out = run(List.of("--clean"), "engine:list");

        assertThat(section(out, "engine:list")).containsPattern(line("main\\s+RUNNING\\s.*")).doesNotContainPattern(line("extra\\s.*"));
        assertThat(home.resolve("data").resolve("extra.db")).as("the forgotten engine's database").exists();
    }

    private String run(String... commands) throws Exception {
        return run(List.of(), commands);
    }

    /** Starts the container with these options and commands, waits for it to exit 0, and returns its output. */
    private String run(List<String> options, String... commands) throws Exception {
        List<String> args = new ArrayList<>(options);
        for (String command : commands) {
            args.add("--run");
            args.add(command);
        }
        try (ContainerProcess container = ContainerProcess.felix(home, args.toArray(String[]::new))) {
            int exit = container.awaitExit();
            String out = container.output();
            assertThat(exit).as(out).isZero();
            assertThat(out).doesNotContain("\tat ").doesNotContain("not every configured engine started");
            return out;
        }
    }

    /** @return the output of one command: from its {@code g! } line to the next command's */
    private static String section(String out, String command) {
        int start = out.indexOf("g! " + command);
        assertThat(start).as("'%s' ran:\n%s", command, out).isNotNegative();
        int end = out.indexOf("\ng! ", start + 1);
        return out.substring(start, end < 0 ? out.length() : end);
    }

    private static Pattern line(String regex) {
        return Pattern.compile("(?m)^" + regex + "$");
    }

    /** A row of engine:info's effective settings. */
    private static Pattern setting(String key, String value) {
        return line(Pattern.quote(key) + "\\s+" + Pattern.quote(value) + "\\s*");
    }
}
