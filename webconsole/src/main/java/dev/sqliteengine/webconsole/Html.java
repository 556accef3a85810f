package dev.sqliteengine.webconsole;

/**
 * HTML text escaping. Everything the Engines page shows comes from outside (engine names, paths,
 * rejection messages, SQLite's error text, the outcome parameter), so every value goes through
 * {@link #text} on its way into the page, in element content and in quoted attribute values alike.
 */
final class Html {

    private Html() {}

    /** @return {@code value} with {@code & < > " '} replaced by character references; "" for null */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
