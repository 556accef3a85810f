package dev.sqliteengine.webconsole;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnginesViewTest {

    private static final String HOSTILE = "<script>alert('x')</script>\"&";
    private static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;";

    private static final Clock NOON = Clock.fixed(Instant.parse("2026-12-01T12:00:00.250Z"), ZoneOffset.UTC);

    private final EnginesView view = new EnginesView(List.of(new Checkpoint(), new Backup(NOON), new Named("other", "Do <it>")),
            "tok\"en");

    private static EngineStatus status(String name, String path, Optional<String> rejection) {
        return status(name, path, Map.of(), rejection);
    }

    private static EngineStatus status(String name, String path, Map<String, Object> settings, Optional<String> rejection) {
        return new EngineStatus(name, EngineState.RUNNING, path, false,
                List.of(new PoolStatus("writer", 1, 0, 1, 0, 1, 1), new PoolStatus("readers", 2, 1, 1, 0, 8, 1)),
                settings, "3.54.1", 12, 3, 1, 2, rejection);
    }

    @Test
    void everyValueFromAnEngineIsEscapedInContentAndAttributes() {
        String html = view.render(List.of(status(HOSTILE, "/data/" + HOSTILE + "/x.db", Optional.of("bad " + HOSTILE))),
                List.of(new EngineConfiguration("x" + HOSTILE, "pid", Map.of("path", HOSTILE),
                        EngineConfiguration.State.REJECTED, Optional.of("why " + HOSTILE))),
                Optional.of("[x] " + HOSTILE));

        assertThat(html).doesNotContain("<script>").doesNotContain("alert('x')")
                .contains("data-engine=\"" + ESCAPED + "\"")
                .contains("<td>/data/" + ESCAPED + "/x.db</td>")
                .contains("latest update rejected: bad " + ESCAPED)
                .contains("<td>why " + ESCAPED + "</td>")
                .contains("id=\"outcome\">[x] " + ESCAPED + "</p>")
                .contains("name=\"engine\" value=\"" + ESCAPED + "\"")
                .contains("name=\"token\" value=\"tok&quot;en\"")
                .contains("name=\"target\" value=\"/data/" + ESCAPED + "/backups/" + ESCAPED + "-20261201-120000-250-manual.db\"")
                .contains(">Do &lt;it&gt;</button>");
    }

    @Test
    void aRunningEngineShowsItsFiguresAndOneButtonPerAction() {
        String html = view.render(List.of(status("main", "/data/main.db", Optional.empty())), List.of(), Optional.empty());

        assertThat(html).contains("1 engine running.")
                .contains("<td><a href=\"engines?engine=main\" title=\"its charts and health checks\">main</a></td><td>RUNNING</td>"
                        + "<td>/data/main.db</td>")
                .contains("<td>total=3, active=1, idle=2, waiting=0</td>")
                .contains("writer 0/1 active, max 1; readers 1/2 active, max 8")
                .contains("<td>12</td><td>3</td><td>1</td><td>2</td><td>3.54.1</td>")
                .contains("name=\"action\" value=\"checkpoint\">Checkpoint</button>")
                .contains("name=\"action\" value=\"backup\">Backup</button>")
                .contains("name=\"action\" value=\"other\">")
                .doesNotContain("id=\"outcome\"");
    }

    @Test
    void theBackupFormIsPrefilledWithANewFileInTheBackupDirectoryOrBesideTheDatabase() {
        String configured = view.render(List.of(status("main", "/data/main.db", Map.of("backup.directory", "/srv/backups"),
                Optional.empty())), List.of(), Optional.empty());
        String beside = view.render(List.of(status("main", "/data/main.db", Map.of("backup.directory", ""), Optional.empty())),
                List.of(), Optional.empty());
        String memory = view.render(List.of(status("scratch", ":memory:", Optional.empty())), List.of(), Optional.empty());

        String field = "<input type=\"text\" name=\"target\" value=\"";
        // the field sits in the backup's own form, with the engine and the token, before its button
        assertThat(configured).containsPattern("<form method=\"post\" action=\"engines\">"
                + "<input type=\"hidden\" name=\"engine\" value=\"main\"><input type=\"hidden\" name=\"token\" value=\"tok&quot;en\">"
                + "<input type=\"text\" name=\"target\" value=\"[^\"]+\" title=\"Backup file: an absolute path to a new file\" "
                + "aria-label=\"Backup file: an absolute path to a new file\"> "
                + "<button type=\"submit\" name=\"action\" value=\"backup\">Backup</button></form>")
                .contains(field + "/srv/backups/main-20261201-120000-250-manual.db\"");
        assertThat(beside).contains(field + "/data/backups/main-20261201-120000-250-manual.db\"");
        assertThat(memory).contains(field + "\"");
    }

    @Test
    void aConfigurationWithoutARunningEngineShowsItsStateAndReason() {
        String html = view.render(List.of(), List.of(new EngineConfiguration("orders", "dev.sqliteengine.engine~orders",
                Map.of("path", "/data/orders.db"), EngineConfiguration.State.FAILED, Optional.of("[orders] not a database"))),
                Optional.empty());

        assertThat(html).contains("0 engines running, 1 configured but not running.")
                .contains("<tr data-engine=\"orders\"><td>orders</td><td>FAILED</td><td>/data/orders.db</td>")
                .contains("<td>[orders] not a database</td>")
                .doesNotContain("<button");
    }

    /** A third action, with a label that needs escaping. */
    private record Named(String id, String label) implements EngineAction {
        @Override
        public String run(Engine engine, Map<String, String> form) {
            return "[" + engine.name() + "] " + id;
        }
    }
}
