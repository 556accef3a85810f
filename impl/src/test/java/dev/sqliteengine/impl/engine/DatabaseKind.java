package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineException;

/**
 * The database types the engine contract suite runs on, and the few things its tests must say
 * differently on each: SQL that only one of them speaks, the driver's classes, how errors are
 * named. What they mean is the same on both; where the behaviour differs, see {@link Difference}.
 */
enum DatabaseKind {

    SQLITE("sqlite", "SQLite") {
        @Override
        String beginWrite() {
            return "BEGIN IMMEDIATE";
        }

        @Override
        String makeWritable() {
            return "PRAGMA query_only=0";
        }

        @Override
        String makeWritableRefusal() {
            return "PRAGMA query_only is refused";
        }

        @Override
        void assertUniqueViolation(EngineException e) {
            assertThat(e.resultCode() & 0xff).as("SQLITE_CONSTRAINT").isEqualTo(19);
        }
    },

    POSTGRESQL("postgresql", "PostgreSQL") {
        @Override
        String beginWrite() {
            return "BEGIN";
        }

        @Override
        String makeWritable() {
            return "SET transaction_read_only = off";
        }

        @Override
        String makeWritableRefusal() {
            return "SET or RESET of the read-only mode (transaction_read_only, default_transaction_read_only) is refused";
        }

        @Override
        void assertUniqueViolation(EngineException e) {
            assertThat(e.sqlState()).hasValue("23505");
        }
    };

    private final String type;
    private final String product;

    DatabaseKind(String type, String product) {
        this.type = type;
        this.product = product;
    }

    /** @return the engine's {@code type} */
    String type() {
        return type;
    }

    /** @return what {@code DatabaseMetaData.getDatabaseProductName()} says */
    String productName() {
        return product;
    }

    /** @return SQL that begins a transaction that writes, as a JDBC user would write it */
    abstract String beginWrite();

    /** @return SQL that tries to make a connection that refuses writes take them again */
    abstract String makeWritable();

    /** @return what the refusal of {@link #makeWritable()} in a read unit says */
    abstract String makeWritableRefusal();

    /** Asserts that the engine's error is the database's unique (or primary key) violation. */
    abstract void assertUniqueViolation(EngineException e);
}
