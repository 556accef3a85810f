package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, statement logging: {@code log.statements} off / slow / all, {@code log.slowThreshold},
 * {@code log.parameters}; lines go to the slf4j logger {@code dev.sqliteengine.sql.<engine>}
 * (slf4j-simple here, captured from {@code System.err}), parameters are hidden unless asked for,
 * and secret-looking ones never shown.
 */
class StatementLogTest {

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();
    private SqliteEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private EngineSettings settings(Object... keyValues) {
        Map<String, Object> map = new HashMap<>(Map.of("path", dir.resolve("logs.db").toString()));
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return EngineSettings.parse(map, "logs", null);
    }

    private Engine open(Object... keyValues) {
        engine = SqliteEngine.open(settings(keyValues), registry);
        engine.connections().write(c -> c.createStatement().executeUpdate(
                "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, password TEXT)"));
        return engine;
    }

    /** An insert with parameters in a write unit, a query of two rows in a read unit, an update through the DataSource. */
    private void work() throws Exception {
        engine.connections().write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO users(name) VALUES (?)")) {
                s.setString(1, "alice-the-parameter");
                s.executeUpdate();
                s.setString(1, "bob");
                return s.executeUpdate();
            }
        });
        engine.connections().read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT name FROM users ORDER BY id")) {
                while (r.next()) {
                    r.getString(1);
                }
            }
            return null;
        });
        try (Connection c = engine.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE users SET name = upper(name)");
        }
    }

    private static List<String> sqlLines(String log) {
        return log.lines().filter(l -> l.contains("dev.sqliteengine.sql.logs")).toList();
    }

    @Test
    void off_by_default_logs_no_statement() throws Exception {
        open();

        String log = CapturedLog.during(this::work);

        assertThat(sqlLines(log)).isEmpty();
        assertThat(engine.status().settings()).containsEntry("log.statements", "off")
                .containsEntry("log.slowThreshold", 100L).containsEntry("log.parameters", false);
    }

    @Test
    void all_logs_every_statement_with_engine_duration_rows_and_sql_but_no_parameters() throws Exception {
        open("log.statements", "all");

        List<String> lines = sqlLines(CapturedLog.during(this::work));

        assertThat(lines).hasSize(4).allMatch(l -> l.contains(" INFO ") && l.contains("[logs] ")
                && l.matches(".* [0-9]+\\.[0-9]{3} ms, .*"));
        assertThat(lines.get(0)).endsWith("1 row: INSERT INTO users(name) VALUES (?)");
        assertThat(lines.get(2)).endsWith("2 rows: SELECT name FROM users ORDER BY id");
        assertThat(lines.get(3)).endsWith("2 rows: UPDATE users SET name = upper(name)");
        assertThat(String.join("\n", lines)).doesNotContain("alice-the-parameter").doesNotContain("parameters");
    }

    @Test
    void slow_logs_only_statements_that_reach_the_threshold_at_warn() throws Exception {
        open("log.statements", "slow", "log.slowThreshold", 86_400_000L);
        assertThat(sqlLines(CapturedLog.during(this::work))).isEmpty();

        // every statement takes at least 0 ms: all of them are slow now
        engine.reconfigure(settings("log.statements", "slow", "log.slowThreshold", 0));
        List<String> lines = sqlLines(CapturedLog.during(this::work));

        assertThat(lines).hasSize(4).allMatch(l -> l.contains(" WARN ") && l.contains("[logs] slow (log.slowThreshold=0 ms): "));
    }

    @Test
    void parameters_are_shown_when_asked_except_in_statements_that_name_a_secret() throws Exception {
        open("log.statements", "all", "log.parameters", true);

        String log = String.join("\n", sqlLines(CapturedLog.during(() -> {
            work();
            engine.connections().write(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE users SET password = ? WHERE name = ?")) {
                    s.setString(1, "hunter2");
                    s.setString(2, "ALICE-THE-PARAMETER");
                    return s.executeUpdate();
                }
            });
            engine.connections().write(c -> c.createStatement().executeUpdate(
                    "UPDATE users SET password = 'swordfish' WHERE id = 2"));
        })));

        assertThat(log).contains("INSERT INTO users(name) VALUES (?) | parameters [1='alice-the-parameter']")
                .contains("UPDATE users SET password = ? WHERE name = ? | parameters [1=********, 2=********]")
                .contains("UPDATE users SET password = '********' WHERE id = 2")
                .doesNotContain("hunter2").doesNotContain("swordfish").doesNotContain("ALICE-THE-PARAMETER");
    }

    @Test
    void a_live_change_applies_to_connections_already_open_without_new_connections() throws Exception {
        open();
        EngineSettings next = settings("log.statements", "all");
        assertThat(engine.settings().needsNewPool(next)).isFalse();

        try (Connection c = engine.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(sqlLines(CapturedLog.during(() -> s.execute("SELECT 1")))).isEmpty();
            assertThat(engine.reconfigure(next)).isTrue();

            assertThat(sqlLines(CapturedLog.during(() -> s.executeUpdate("DELETE FROM users WHERE id < 0"))))
                    .singleElement().asString().endsWith("0 rows: DELETE FROM users WHERE id < 0");
        }
    }

    @Test
    void failed_statements_and_multi_line_sql_are_logged_on_one_line() throws Exception {
        open("log.statements", "all");

        List<String> lines = sqlLines(CapturedLog.during(() -> {
            try (Connection c = engine.connect(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeQuery("SELECT *\n  FROM\tnowhere")).hasMessageContaining("nowhere");
            }
        }));

        assertThat(lines).singleElement().asString().contains("failed (").endsWith(": SELECT * FROM nowhere");
    }

    @Test
    void invalid_values_are_refused_naming_the_property_and_what_is_allowed() {
        assertThatThrownBy(() -> settings("log.statements", "verbose"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("log.statements").hasMessageContaining("verbose")
                .hasMessageContaining("one of off, slow, all");
        assertThatThrownBy(() -> settings("log.slowThreshold", -1))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("log.slowThreshold");
        assertThatThrownBy(() -> settings("log.statement", "all"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no such property");
    }
}
