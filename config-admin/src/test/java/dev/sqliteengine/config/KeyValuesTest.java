package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

    @Test
    void pairs_keep_their_order_and_values_their_text() {
        Map<String, String> parsed = KeyValues.parse("osgi.connection.max=4", "pragma.synchronous=FULL");

        assertThat(parsed).containsExactly(
                Map.entry("osgi.connection.max", "4"),
                Map.entry("pragma.synchronous", "FULL"));
    }

    @Test
    void a_value_may_contain_equals_signs() {
        assertThat(KeyValues.parse("path=/data/a=b.db")).containsEntry("path", "/data/a=b.db");
    }

    @Test
    void an_empty_value_means_back_to_the_default() {
        assertThat(KeyValues.parse("osgi.connection.max=")).containsEntry("osgi.connection.max", null);
    }

    @Test
    void keys_are_trimmed() {
        assertThat(KeyValues.parse(" readOnly =true")).containsEntry("readOnly", "true");
    }

    @Test
    void no_arguments_give_no_pairs() {
        assertThat(KeyValues.parse()).isEmpty();
        assertThat(KeyValues.parse((String[]) null)).isEmpty();
    }

    @Test
    void an_argument_without_equals_is_refused_with_the_argument_quoted() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parse("osgi.connection.max", "4"))
                .withMessage("expected key=value, got 'osgi.connection.max'");
    }

    @Test
    void a_value_without_a_key_is_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parse("=4"))
                .withMessage("expected key=value, got a value without a key: '=4'");
    }

    @Test
    void a_key_given_twice_is_ambiguous_and_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parse("osgi.connection.max=4", "osgi.connection.max=5"))
                .withMessage("osgi.connection.max is given twice");
    }

    @Test
    void a_key_that_is_no_property_name_is_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parse("/data/a=b.db"))
                .withMessage("'/data/a=b.db' is not key=value ('/data/a' is no property name)");
    }

    @Test
    void create_takes_the_path_as_the_one_argument_without_equals_or_as_path_equals() {
        assertThat(KeyValues.parseWithPath("osgi.connection.max=4", "data/x.db")).containsExactly(
                Map.entry("path", "data/x.db"), Map.entry("osgi.connection.max", "4"));
        assertThat(KeyValues.parseWithPath("osgi.connection.max=4", "path=data/x.db")).containsExactly(
                Map.entry("path", "data/x.db"), Map.entry("osgi.connection.max", "4"));
        assertThat(KeyValues.parseWithPath("osgi.connection.max=4")).containsExactly(Map.entry("osgi.connection.max", "4"));
    }

    @Test
    void create_refuses_a_path_given_twice_and_a_second_argument_without_equals() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parseWithPath("a.db", "path=b.db"))
                .withMessage("the path is given twice: 'a.db' and path=b.db");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parseWithPath("a.db", "b.db"))
                .withMessage("expected key=value, got 'b.db'");
    }

    @Test
    void create_refuses_a_path_that_looks_like_key_value_pairs_run_together() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parseWithPath("path=osgi.connection.max=4"))
                .withMessage("path=osgi.connection.max=4 looks like a mistaken key=value, not a file;"
                        + " a file whose name really is so is given as path=./osgi.connection.max=4");
        assertThat(KeyValues.parseWithPath("path=./osgi.connection.max=4")).containsEntry("path", "./osgi.connection.max=4");
        assertThat(KeyValues.parseWithPath("path=/data/a=b.db")).containsEntry("path", "/data/a=b.db");
    }

    @Test
    void create_says_how_to_give_a_path_with_an_equals_sign() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parseWithPath("/data/a=b.db"))
                .withMessage("'/data/a=b.db' is not key=value ('/data/a' is no property name);"
                        + " a path with '=' in it is given as path=/data/a=b.db");
    }

    @Test
    void control_characters_in_a_quoted_argument_are_shown_escaped() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyValues.parse("bad\u001b[2J"))
                .withMessage("expected key=value, got 'bad\\u001b[2J'");
    }
}
