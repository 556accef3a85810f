package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void plain_text_and_non_latin_letters_pass_unchanged() {
        String text = "Grüße, 数据, émoji 😀, tab-free";

        assertThat(TerminalText.escape(text)).isSameAs(text);
    }

    @Test
    void escape_sequences_bells_c1_controls_and_direction_overrides_are_shown_as_java_escapes() {
        assertThat(TerminalText.escape("\u001b]52;c;aGk=\u0007")).isEqualTo("\\u001b]52;c;aGk=\\u0007");
        assertThat(TerminalText.escape("\u009b2J\u007f")).isEqualTo("\\u009b2J\\u007f");
        assertThat(TerminalText.escape("admin\u202e\u2066txt.exe")).isEqualTo("admin\\u202e\\u2066txt.exe");
    }

    @Test
    void one_line_turns_line_breaks_into_a_space_and_escapes_the_rest() {
        assertThat(TerminalText.oneLine("a\r\nb\tc\u001b")).isEqualTo("a b c\\u001b");
        assertThat(TerminalText.escape("a\nb")).isEqualTo("a\\u000ab");
    }
}
