package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4Statement;

/**
 * The database types the engine contract suite runs on, and the few things its tests must say
 * differently on each: SQL that only one of them speaks, the driver's classes, how errors are
 * named, the properties of its own that a test needs. What these mean is the same on both; where
 * the behaviour differs, see {@link Difference}.
 */
enum DatabaseKind {

    SQLITE("sqlite", "SQLite", SQLiteConnection.class, JDBC4Statement.class) {
        @Override
        String beginWrite() {
            return "BEGIN IMMEDIATE";
        }

        @Override
        String autoIncrementKey() {
            return "INTEGER PRIMARY KEY AUTOINCREMENT";
        }

        @Override
        String insertThatEndsTheTransaction(String table, int existingId) {
            return "INSERT OR ROLLBACK INTO " + table + "(id, v) VALUES (" + existingId + ", 'duplicate')";
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

        @Override
        String uniqueViolationCode() {
            return "SQLITE_CONSTRAINT_PRIMARYKEY";
        }

        @Override
        String noSuchColumnCode() {
            return "SQLITE_ERROR";
        }

        @Override
        Map<String, Object> lockWait(int millis) {
            return Map.of(EngineProperties.PRAGMA_PREFIX + "busy_timeout", millis);
        }

        @Override
        Map<String, Object> oneWriter() {
            return Map.of(); // SQLite has one writer
        }

        /** Runs BEGIN, which SQLite refuses inside a transaction. */
        @Override
        void assertNoTransactionOpen(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN"); // fails with "cannot start a transaction within a transaction" if one is left
                s.execute("ROLLBACK");
            }
        }
    },

    POSTGRESQL("postgresql", "PostgreSQL", org.postgresql.PGConnection.class, org.postgresql.PGStatement.class) {
        @Override
        String beginWrite() {
            return "BEGIN";
        }

        @Override
        String autoIncrementKey() {
            return "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
        }

        /** Any failed statement: PostgreSQL fails the whole transaction after it. */
        @Override
        String insertThatEndsTheTransaction(String table, int existingId) {
            return "INSERT INTO " + table + "(id, v) VALUES (" + existingId + ", 'duplicate')";
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

        @Override
        String uniqueViolationCode() {
            return "23505";
        }

        @Override
        String noSuchColumnCode() {
            return "42703";
        }

        /** {@code lockTimeout=0} means no limit: at once is 1 ms. */
        @Override
        Map<String, Object> lockWait(int millis) {
            return Map.of("lockTimeout", Math.max(1, millis));
        }

        @Override
        Map<String, Object> oneWriter() {
            return Map.of("write.connections", 1);
        }

        /** PostgreSQL only warns at a BEGIN inside a transaction: asks pgjdbc, which tracks the server's state. */
        @Override
        void assertNoTransactionOpen(Connection c) throws SQLException {
            assertThat(c.unwrap(BaseConnection.class).getTransactionState()).isEqualTo(TransactionState.IDLE);
        }
    };

    private final String type;
    private final String product;
    private final Class<?> driverConnection;
    private final Class<?> driverStatement;

    DatabaseKind(String type, String product, Class<?> driverConnection, Class<?> driverStatement) {
        this.type = type;
        this.product = product;
        this.driverConnection = driverConnection;
        this.driverStatement = driverStatement;
    }

    /** @return the engine's {@code type} */
    String type() {
        return type;
    }

    /** @return what {@code DatabaseMetaData.getDatabaseProductName()} says */
    String productName() {
        return product;
    }

    /** @return the driver's own connection type, which the engine's connections unwrap to */
    Class<?> driverConnection() {
        return driverConnection;
    }

    /** @return the driver's own statement type, which the engine's statements unwrap to */
    Class<?> driverStatement() {
        return driverStatement;
    }

    /** @return SQL that begins a transaction that writes, as a JDBC user would write it */
    abstract String beginWrite();

    /** @return the column type of a key that the database numbers in the order of the inserts */
    abstract String autoIncrementKey();

    /**
     * @return an insert of a row whose id exists in {@code table(id, v)} that fails and takes the
     *         transaction with it: SQLite rolls it back ({@code INSERT OR ROLLBACK}), PostgreSQL
     *         fails it
     */
    abstract String insertThatEndsTheTransaction(String table, int existingId);

    /** @return SQL that tries to make a connection that refuses writes take them again */
    abstract String makeWritable();

    /** @return what the refusal of {@link #makeWritable()} in a read unit says */
    abstract String makeWritableRefusal();

    /** Asserts that the engine's error is the database's unique (or primary key) violation. */
    abstract void assertUniqueViolation(EngineException e);

    /** @return how {@code status().errorsByCode()} names a primary key violation */
    abstract String uniqueViolationCode();

    /** @return how {@code status().errorsByCode()} names a statement that names a column that does not exist */
    abstract String noSuchColumnCode();

    /** @return the property that bounds how long a statement waits for a lock another transaction holds */
    abstract Map<String, Object> lockWait(int millis);

    /** @return the properties that make the writer queue let one writer in at a time */
    abstract Map<String, Object> oneWriter();

    /** Asserts that the database has no transaction open on the connection. */
    abstract void assertNoTransactionOpen(Connection c) throws SQLException;
}
