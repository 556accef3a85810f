package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableFormatterTest {

    @Test
    void columns_are_aligned_under_a_rule_and_numbers_are_right_aligned() {
        String table = new TableFormatter(List.of("ID", "NAME"))
                .row(List.of(1, "alice"))
                .row(List.of(100, "bob"))
                .format();

        assertThat(table).isEqualTo("""
                ID   NAME
                ---  -----
                  1  alice
                100  bob""");
    }

    @Test
    void null_shows_as_NULL_and_a_blob_as_its_size() {
        String table = new TableFormatter(List.of("A", "B"))
                .row(Arrays.asList(null, new byte[] {1, 2, 3}))
                .format();

        assertThat(table.lines()).last().asString().isEqualTo("NULL  <blob 3 bytes>");
    }

    @Test
    void a_cell_stays_on_one_line_and_long_values_are_shortened() {
        String table = new TableFormatter(List.of("TEXT"))
                .row(List.of("first\nsecond"))
                .row(List.of("x".repeat(100)))
                .format();

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).isEqualTo("first second");
        assertThat(lines.get(3)).hasSize(TableFormatter.MAX_WIDTH).endsWith("...");
    }

    @Test
    void a_table_without_rows_shows_its_header() {
        assertThat(new TableFormatter(List.of("NAME", "STATE")).format()).isEqualTo("NAME  STATE\n----  -----");
    }

    @Test
    void lines_carry_no_trailing_blanks() {
        String table = new TableFormatter(List.of("LONG HEADER", "X")).row(List.of("a", "")).format();

        assertThat(table.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }

    @Test
    void a_row_with_more_cells_than_columns_is_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TableFormatter(List.of("A")).row(List.of(1, 2)))
                .withMessage("a row has 2 cells for 1 columns");
    }

    @Test
    void arrays_show_their_elements() {
        assertThat(TableFormatter.cell(new String[] {"a", "b"})).isEqualTo("[a, b]");
    }

    @Test
    void terminal_control_characters_in_cells_and_headers_are_shown_escaped_never_sent_to_the_terminal() {
        String table = new TableFormatter(List.of("A\u001b[31m"))
                .row(List.of("\u001b[2J\u001b]0;title\u0007\u009b1m\u007fend\u202eevil"))
                .format();

        assertThat(table).doesNotContain("\u001b", "\u0007", "\u009b", "\u007f", "\u202e");
        assertThat(table.lines().toList()).first().asString().isEqualTo("A\\u001b[31m");
        assertThat(table.lines().toList()).last().asString()
                .isEqualTo("\\u001b[2J\\u001b]0;title\\u0007\\u009b1m\\u007fend\\u202eevil");
    }
}
