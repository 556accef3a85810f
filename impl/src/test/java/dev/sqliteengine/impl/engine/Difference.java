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

    /**
     * Several writers at once on PostgreSQL, each in a transaction of its own: at
     * {@code READ_COMMITTED} a read-then-write reads {@code FOR UPDATE}, or it may lose an update.
     */
    WRITERS_RUN_SIDE_BY_SIDE("Writers run side by side."),

    /** The server's files are its own: no integrity check, no WAL, no maintenance by the engine. */
    NOTHING_ON_A_SCHEDULE("Nothing on a schedule.");

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
