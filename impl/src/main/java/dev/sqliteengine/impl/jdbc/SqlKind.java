package dev.sqliteengine.impl.jdbc;

/**
 * What a statement does to transactions and locks, read from its first keyword, so that the
 * engine can decide before it runs whether it needs the writer, begins or ends a transaction, or
 * must be refused.
 * <p>
 * The rule is conservative: a statement is {@link #READ} only when its first keyword is
 * {@code SELECT}, {@code VALUES} or {@code EXPLAIN}, a {@code WITH} whose text names none of
 * {@code INSERT}, {@code UPDATE}, {@code DELETE}, {@code REPLACE}, or a {@code PRAGMA} that sets
 * nothing and is not one of the pragmas that write ({@code optimize}, {@code incremental_vacuum},
 * {@code wal_checkpoint}). Everything else is {@link #WRITE}. A read mistaken for a write only
 * waits for the writer; a write mistaken for a read would poll SQLite's lock instead, so the
 * mistake is only ever made in the safe direction.
 * <p>
 * A prepared statement is only ever its first statement. A plain {@code Statement} may run a
 * whole script ({@code executeUpdate("INSERT …; COMMIT")} runs both), so {@link #ofScript} reads
 * every statement of the string: one that controls transactions makes the script a
 * {@link #SCRIPT}, which only a connection in auto-commit mode runs as it is.
 */
public enum SqlKind {
    /** Reads only; needs no writer. */
    READ,
    /** May write; waits for the writer when it runs outside a transaction. */
    WRITE,
    /** {@code BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION]}, PostgreSQL's {@code START TRANSACTION}. */
    BEGIN,
    /** {@code COMMIT} or {@code END}. */
    COMMIT,
    /** {@code ROLLBACK} of the whole transaction (not {@code ROLLBACK TO}), PostgreSQL's {@code ABORT}. */
    ROLLBACK,
    /** {@code SAVEPOINT name}: begins a transaction when none is open. */
    SAVEPOINT,
    /** {@code RELEASE name}: commits when it releases the outermost savepoint. */
    RELEASE,
    /** {@code ROLLBACK TO name}: the transaction stays open. */
    ROLLBACK_TO,
    /**
     * The engine's own switch for read-only connections: SQLite's {@code PRAGMA query_only = …};
     * PostgreSQL's {@code SET}/{@code RESET} of {@code transaction_read_only} or
     * {@code default_transaction_read_only}, {@code SET TRANSACTION} and
     * {@code SET SESSION CHARACTERISTICS} that name {@code READ WRITE} or {@code READ ONLY}, and
     * {@code RESET ALL}.
     */
    QUERY_ONLY,
    /** Several statements in one string, some of which begin or end transactions. */
    SCRIPT;

    /** @return whether SQLite may end a transaction by running it */
    public boolean mayEndTransaction() {
        return this == COMMIT || this == ROLLBACK || this == RELEASE || this == SCRIPT;
    }

    /** @return whether it is transaction control that belongs to whoever owns the transaction */
    public boolean controlsTransaction() {
        return this == BEGIN || this == COMMIT || this == ROLLBACK || this == SCRIPT;
    }

    /** @return what all the statements of a string do, taken together */
    static SqlKind ofScript(String sql) {
        SqlKind first = of(sql);
        if (sql == null) {
            return first;
        }
        int end = isTrigger(sql, 0) ? triggerEnd(sql, 0) : statementEnd(sql, 0);
        if (end < 0 || skipSpace(sql, end + 1) >= sql.length()) {
            return first; // one statement, perhaps with a trailing semicolon
        }
        if (first == QUERY_ONLY) {
            return QUERY_ONLY;
        }
        boolean control = first.controlsTransaction() || first == SAVEPOINT || first == RELEASE;
        boolean reads = first == READ;
        for (int at = end + 1; end >= 0 && at < sql.length(); at = end + 1) {
            if (skipSpace(sql, at) >= sql.length()) {
                break;
            }
            SqlKind next = of(sql.substring(at));
            control |= next.controlsTransaction() || next == SAVEPOINT || next == RELEASE || next == ROLLBACK_TO;
            reads &= next == READ;
            if (next == QUERY_ONLY) {
                return QUERY_ONLY;
            }
            end = isTrigger(sql, at) ? triggerEnd(sql, at) : statementEnd(sql, at);
        }
        return control ? SCRIPT : reads ? READ : WRITE;
    }

    /** @return whether the statement at {@code from} is {@code CREATE [TEMP] TRIGGER}, whose body holds semicolons */
    private static boolean isTrigger(String sql, int from) {
        int at = skipSpace(sql, from);
        int end = wordEnd(sql, at);
        if (!is(sql, at, end, "CREATE")) {
            return false;
        }
        at = skipSpace(sql, end);
        end = wordEnd(sql, at);
        if (is(sql, at, end, "TEMP") || is(sql, at, end, "TEMPORARY")) {
            at = skipSpace(sql, end);
            end = wordEnd(sql, at);
        }
        return is(sql, at, end, "TRIGGER");
    }

    /** @return the index of the semicolon after a trigger's {@code END}, or -1 */
    private static int triggerEnd(String sql, int from) {
        int at = from;
        while (true) {
            int end = statementEnd(sql, at);
            if (end < 0) {
                return -1;
            }
            // the body's statements end with semicolons too; the trigger ends at "END;"
            int word = end - 1;
            while (word >= at && Character.isWhitespace(sql.charAt(word))) {
                word--;
            }
            int start = word;
            while (start >= at && (Character.isLetterOrDigit(sql.charAt(start)) || sql.charAt(start) == '_')) {
                start--;
            }
            if (is(sql, start + 1, word + 1, "END")) {
                return end;
            }
            at = end + 1;
        }
    }

    /** @return the index of the semicolon that ends the statement starting at {@code from}, or -1 */
    private static int statementEnd(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                int close = sql.indexOf(c == '[' ? ']' : c, i + 1);
                if (close < 0) {
                    return -1;
                }
                i = close + 1;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == ';') {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }

    static SqlKind of(String sql) {
        if (sql == null) {
            return WRITE;
        }
        int at = skipSpace(sql, 0);
        int end = wordEnd(sql, at);
        if (is(sql, at, end, "SELECT") || is(sql, at, end, "VALUES") || is(sql, at, end, "EXPLAIN")) {
            return READ;
        }
        if (is(sql, at, end, "WITH")) {
            return namesChange(sql, end) ? WRITE : READ;
        }
        if (is(sql, at, end, "PRAGMA")) {
            return pragma(sql, end);
        }
        if (is(sql, at, end, "SET")) {
            return setsReadOnlyMode(sql, end) ? QUERY_ONLY : WRITE;
        }
        if (is(sql, at, end, "RESET")) {
            int next = skipSpace(sql, end);
            int nextEnd = wordEnd(sql, next);
            return isReadOnlySetting(sql, next, nextEnd) || is(sql, next, nextEnd, "ALL") ? QUERY_ONLY : WRITE;
        }
        if (is(sql, at, end, "BEGIN")) {
            return BEGIN;
        }
        if (is(sql, at, end, "START")) {
            // PostgreSQL's START TRANSACTION (a syntax error in SQLite, which it stays)
            int next = skipSpace(sql, end);
            return is(sql, next, wordEnd(sql, next), "TRANSACTION") ? BEGIN : WRITE;
        }
        if (is(sql, at, end, "ABORT")) {
            return ROLLBACK; // PostgreSQL's ABORT [WORK | TRANSACTION]
        }
        if (is(sql, at, end, "COMMIT") || is(sql, at, end, "END")) {
            return COMMIT;
        }
        if (is(sql, at, end, "SAVEPOINT")) {
            return SAVEPOINT;
        }
        if (is(sql, at, end, "RELEASE")) {
            return RELEASE;
        }
        if (is(sql, at, end, "ROLLBACK")) {
            int next = skipSpace(sql, end);
            int nextEnd = wordEnd(sql, next);
            if (is(sql, next, nextEnd, "TRANSACTION")) {
                next = skipSpace(sql, nextEnd);
                nextEnd = wordEnd(sql, next);
            }
            return is(sql, next, nextEnd, "TO") ? ROLLBACK_TO : ROLLBACK;
        }
        return WRITE;
    }

    /**
     * PostgreSQL's ways to make a transaction, or the session's next ones, read-only or writable
     * again: after {@code SET [SESSION | LOCAL]}, one of the two settings, or
     * {@code TRANSACTION}/{@code SESSION CHARACTERISTICS AS TRANSACTION} with {@code READ WRITE}
     * or {@code READ ONLY} among its modes. An isolation level alone is not a switch.
     */
    private static boolean setsReadOnlyMode(String sql, int from) {
        int at = skipSpace(sql, from);
        int end = wordEnd(sql, at);
        if (is(sql, at, end, "SESSION") || is(sql, at, end, "LOCAL")) {
            at = skipSpace(sql, end);
            end = wordEnd(sql, at);
        }
        if (is(sql, at, end, "TRANSACTION") || is(sql, at, end, "CHARACTERISTICS")) {
            return namesReadOnlyMode(sql, end);
        }
        return isReadOnlySetting(sql, at, end);
    }

    private static boolean isReadOnlySetting(String sql, int at, int end) {
        return is(sql, at, end, "transaction_read_only") || is(sql, at, end, "default_transaction_read_only");
    }

    /** @return whether {@code READ WRITE} or {@code READ ONLY} follows {@code from} */
    private static boolean namesReadOnlyMode(String sql, int from) {
        int at = skipSpace(sql, from);
        while (at < sql.length()) {
            int end = wordEnd(sql, at);
            if (end == at) {
                at++; // a comma, or anything else between the modes
            } else {
                if (is(sql, at, end, "READ")) {
                    int next = skipSpace(sql, end);
                    int nextEnd = wordEnd(sql, next);
                    if (is(sql, next, nextEnd, "WRITE") || is(sql, next, nextEnd, "ONLY")) {
                        return true;
                    }
                }
                at = end;
            }
            at = skipSpace(sql, at);
        }
        return false;
    }

    private static SqlKind pragma(String sql, int from) {
        int at = skipSpace(sql, from);
        int end = wordEnd(sql, at);
        if (end < sql.length() && sql.charAt(end) == '.') { // schema.pragma
            at = end + 1;
            end = wordEnd(sql, at);
        }
        int after = end;
        while (after < sql.length() && Character.isWhitespace(sql.charAt(after))) {
            after++;
        }
        boolean sets = after < sql.length() && (sql.charAt(after) == '=' || sql.charAt(after) == '(');
        if (is(sql, at, end, "query_only")) {
            return sets ? QUERY_ONLY : READ;
        }
        if (is(sql, at, end, "optimize") || is(sql, at, end, "incremental_vacuum") || is(sql, at, end, "wal_checkpoint")) {
            return WRITE;
        }
        return after < sql.length() && sql.charAt(after) == '=' ? WRITE : READ;
    }

    /**
     * Whether a statement's text may change the schema: it names {@code CREATE}, {@code DROP},
     * {@code ALTER}, {@code ATTACH} or {@code DETACH} outside quotes. The driver reads a prepared
     * statement's column list once, when it prepares it, while SQLite re-prepares the statement
     * itself after a schema change; so each such statement makes the cached statements stale (see
     * {@link StatementCache}). A name that happens to be one of those words only costs a few
     * re-prepares.
     */
    static boolean mayChangeSchema(String sql) {
        return sql != null && names(sql, 0, "CREATE", "DROP", "ALTER", "ATTACH", "DETACH");
    }

    /** @return whether a {@code WITH} statement names a data-changing keyword outside quotes */
    private static boolean namesChange(String sql, int from) {
        return names(sql, from, "INSERT", "UPDATE", "DELETE", "REPLACE");
    }

    /** @return whether the text from {@code from} has one of the words outside quotes; true when a quote is unterminated */
    private static boolean names(String sql, int from, String... words) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                i = sql.indexOf(close, i + 1);
                if (i < 0) {
                    return true; // unterminated: let SQLite report it, on the safe side
                }
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int end = wordEnd(sql, i);
                for (String word : words) {
                    if (is(sql, i, end, word)) {
                        return true;
                    }
                }
                i = end;
            } else {
                i++;
            }
        }
        return false;
    }

    /** Skips white space, comments and opening parentheses. */
    private static int skipSpace(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ';') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static int wordEnd(String sql, int from) {
        int i = from;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    private static boolean is(String sql, int at, int end, String word) {
        return end - at == word.length() && sql.regionMatches(true, at, word, 0, word.length());
    }
}
