package dev.sqliteengine.config;

/**
 * Text from the data, the configuration or the file system, made safe to print on a terminal.
 * A value is data, never an instruction to the terminal: an ESC (the start of every colour,
 * cursor, title or clipboard sequence), a C1 control such as CSI (U+009B), BEL, DEL, or a
 * Unicode direction override that would make a line read differently from what it holds, is
 * shown as a Java escape, {@code \u001b}, like the engine's own error messages show them.
 */
final class TerminalText {

    private TerminalText() {}

    /** @return the text with every control and direction-override character escaped, line breaks too */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** @return the text as one line: runs of line breaks and tabs become one space, the rest is escaped */
    static String oneLine(String text) {
        return escape(text.replaceAll("[\\r\\n\\t]+", " "));
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) // C0, DEL and C1
                || c == '\u061c' || c == '\u200e' || c == '\u200f' // direction marks
                || (c >= '\u202a' && c <= '\u202e') // embeddings and overrides
                || (c >= '\u2066' && c <= '\u2069') // isolates
                || c == '\u2028' || c == '\u2029'; // line and paragraph separators
    }
}
