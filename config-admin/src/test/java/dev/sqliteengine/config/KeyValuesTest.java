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
}
