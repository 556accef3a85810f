package dev.sqliteengine.impl.engine;

/**
 * What a PostgreSQL engine does differently from a SQLite engine by design: the named exceptions
 * of the engine contract suite. Each is explained in docs/postgresql.md, under "What differs from
 * SQLite, and why", in the paragraph that begins with its {@link #title} in bold, and the tests
 * that show it (those that name it with {@link Differs}) are listed there.
 */
enum Difference {

    /** PostgreSQL refuses every statement of a transaction after a failed one, and rolls it back. */
    A_FAILED_STATEMENT_FAILS_THE_TRANSACTION("A failed statement fails the transaction."),

    /** Several writers at once on PostgreSQL, each in a transaction of its own. */
    WRITERS_RUN_SIDE_BY_SIDE("Writers run side by side.");

    private final String title;

    Difference(String title) {
        this.title = title;
    }

    /** @return the bold words that begin the paragraph explaining it in docs/postgresql.md */
    String title() {
        return title;
    }

    /** @return whether databases of this kind behave as described (the other kind behaves as SQLite does) */
    boolean on(DatabaseKind kind) {
        return kind == DatabaseKind.POSTGRESQL;
    }
}
