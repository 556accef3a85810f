package dev.sqliteengine.impl.engine;

/**
 * Whether a statement's text may change the schema: it has one of the words {@code CREATE},
 * {@code DROP}, {@code ALTER}, {@code ATTACH} or {@code DETACH} anywhere, as a whole word.
 * <p>
 * Why: the driver reads a prepared statement's column count and names once, when it is prepared,
 * while SQLite re-prepares the statement itself after a schema change. A cached
 * {@code SELECT *} would then report the old columns; so every statement that may change the
 * schema makes the engine's cached statements stale (see {@link StatementCache}). The test errs
 * on the safe side: a word inside a string literal or a name costs a few re-prepares, nothing more.
 */
final class SchemaChange {

    private static final String[] WORDS = {"CREATE", "DROP", "ALTER", "ATTACH", "DETACH"};

    private SchemaChange() {
    }

    static boolean mayChange(String sql) {
        if (sql == null) {
            return false;
        }
        int length = sql.length();
        for (int i = 0; i < length; i++) {
            char c = (char) (sql.charAt(i) | 0x20); // lower case for letters
            if (c != 'c' && c != 'd' && c != 'a') {
                continue;
            }
            if (i > 0 && isWordChar(sql.charAt(i - 1))) {
                continue;
            }
            for (String word : WORDS) {
                int end = i + word.length();
                if (end <= length && sql.regionMatches(true, i, word, 0, word.length())
                        && (end == length || !isWordChar(sql.charAt(end)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
