package dev.sqliteengine.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays rows out as a plain-text table for the shell: a header, a rule, one line per row, columns
 * two spaces apart, numbers right-aligned. Cells are kept to one line and to
 * {@value #MAX_WIDTH} characters, so one huge value cannot wreck the table; control characters
 * are shown escaped ({@link TerminalText}), so a value cannot drive the terminal; SQL NULL shows
 * as {@code NULL} and a blob as its size.
 */
final class TableFormatter {

    static final int MAX_WIDTH = 60;
    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] numeric;
    private int lastWidth = MAX_WIDTH;

    TableFormatter(List<String> headers) {
        if (headers.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = List.copyOf(headers);
        this.numeric = new boolean[headers.size()];
        java.util.Arrays.fill(numeric, true);
    }

    /**
     * Lets the last column, where a long text cannot push another column away, be wider than
     * {@value #MAX_WIDTH} characters. Call it before adding rows.
     *
     * @return this formatter
     */
    TableFormatter lastColumnUpTo(int width) {
        lastWidth = width;
        return this;
    }

    /**
     * @param cells one value per column: missing cells are empty, extra cells are an error
     * @return this formatter
     */
    TableFormatter row(List<?> cells) {
        if (cells.size() > headers.size()) {
            throw new IllegalArgumentException("a row has " + cells.size() + " cells for " + headers.size() + " columns");
        }
        String[] row = new String[headers.size()];
        for (int i = 0; i < row.length; i++) {
            Object value = i < cells.size() ? cells.get(i) : "";
            row[i] = cell(value, i == row.length - 1 ? lastWidth : MAX_WIDTH);
            numeric[i] &= value instanceof Number || value == null || "".equals(value);
        }
        rows.add(row);
        return this;
    }

    int rowCount() {
        return rows.size();
    }

    String format() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = cell(headers.get(i)).length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers.stream().map(TableFormatter::cell).toArray(String[]::new), widths, false);
        String[] rule = new String[widths.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(out, rule, widths, false);
        for (String[] row : rows) {
            line(out, row, widths, true);
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths, boolean alignNumbers) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(GAP);
            }
            String padding = " ".repeat(widths[i] - cells[i].length());
            if (alignNumbers && numeric[i]) {
                line.append(padding).append(cells[i]);
            } else {
                line.append(cells[i]).append(padding);
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** @return the value as it shows in a cell: one line, at most {@value #MAX_WIDTH} characters */
    static String cell(Object value) {
        return cell(value, MAX_WIDTH);
    }

    private static String cell(Object value, int maxWidth) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof byte[] bytes) {
            return "<blob " + bytes.length + " bytes>";
        }
        String text = TerminalText.oneLine(ConfigValues.display(value));
        return text.length() <= maxWidth ? text : text.substring(0, maxWidth - 3) + "...";
    }
}
