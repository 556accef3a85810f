package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @Test
    void strings_are_stored_with_the_documented_type_of_the_effective_setting() {
        Map<String, Object> stored = ConfigValues.typed(
                Map.of("osgi.connection.max", "4", "osgi.connection.timeout", "5000", "readOnly", "true"),
                Map.of("osgi.connection.max", 4, "osgi.connection.timeout", 5000L, "readOnly", true));

        assertThat(stored).containsEntry("osgi.connection.max", 4)
                .containsEntry("osgi.connection.timeout", 5000L)
                .containsEntry("readOnly", true);
    }

    @Test
    void an_int_given_for_a_long_setting_is_stored_as_a_long() {
        assertThat(ConfigValues.typed(Map.of("osgi.idle.timeout", 20000), Map.of("osgi.idle.timeout", 20000L)))
                .containsEntry("osgi.idle.timeout", 20000L);
    }

    @Test
    void text_settings_keep_the_text_the_caller_gave() {
        assertThat(ConfigValues.typed(Map.of("path", "data/main.db", "pragma.journal_mode", "wal"),
                Map.of("path", "/abs/data/main.db", "pragma.journal_mode", "WAL")))
                .containsEntry("path", "data/main.db")
                .containsEntry("pragma.journal_mode", "wal");
    }

    @Test
    void values_config_admin_cannot_store_become_text() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("path", Path.of("/tmp/x.db"));
        given.put("list", List.of(Path.of("a"), 1));
        given.put("array", new Object[] {Path.of("b")});

        Map<String, Object> stored = ConfigValues.typed(given, Map.of());

        assertThat(stored.get("path")).isEqualTo("/tmp/x.db");
        assertThat(stored.get("list")).isEqualTo(List.of("a", 1));
        assertThat(stored.get("array")).isEqualTo(new String[] {"b"});
    }
}
