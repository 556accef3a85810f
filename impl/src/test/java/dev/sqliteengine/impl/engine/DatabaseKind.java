package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
        String uniqueViolationWords() {
            return "UNIQUE";
        }

        /** sqlite-jdbc binds NULL for a parameter that was not set. */
        @Override
        void assertParameterUnset(PreparedStatement isNull) throws SQLException {
            try (ResultSet r = isNull.executeQuery()) {
                r.next();
                assertThat(r.getInt(1)).as("the parameter of the first user is gone").isEqualTo(1);
            }
        }

        /** A TRUNCATE checkpoint, which a read held anywhere would block. */
        @Override
        void assertNoOtherConnectionHoldsARead(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                r.next();
                assertThat(new int[] {r.getInt(1), r.getInt(2)}).as("busy, WAL pages after the checkpoint")
                        .containsExactly(0, 0);
            }
        }

        @Override
        Map<String, Object> lockWait(int millis) {
            return Map.of(EngineProperties.PRAGMA_PREFIX + "busy_timeout", millis);
        }

        @Override
        Map<String, Object> oneWriter() {
            return Map.of(); // SQLite has one writer
        }

        @Override
        void lockAgainstWriters(Statement foreign, String table) throws SQLException {
            foreign.execute("BEGIN IMMEDIATE");
        }

        @Override
        String lockWaitCode() {
            return "SQLITE_BUSY";
        }

        @Override
        Object[] changeNeedingNewConnections() {
            return new Object[] {EngineProperties.PRAGMA_PREFIX + "synchronous", "FULL"};
        }

        @Override
        Map<String, Object> generation(int n, boolean stricter) {
            return Map.of(EngineProperties.PRAGMA_PREFIX + "cache_size", -2000 - n,
                    EngineProperties.PRAGMA_PREFIX + "synchronous", stricter ? "FULL" : "NORMAL");
        }

        @Override
        void assertGeneration(Connection c, int n, boolean stricter) throws SQLException {
            assertThat(SqliteEngineTest.pragma(c, "cache_size")).isEqualTo(String.valueOf(-2000 - n));
            assertThat(SqliteEngineTest.pragma(c, "synchronous")).isEqualTo(stricter ? "2" : "1");
        }

        @Override
        Map<String, Object> invalidSetting() {
            return Map.of(EngineProperties.PRAGMA_PREFIX + "journal_mode", "WAL; DROP TABLE t");
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
            return "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
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

        @Override
        String uniqueViolationWords() {
            return "violates unique constraint";
        }

        /** pgjdbc refuses to run a statement with a parameter that was not set. */
        @Override
        void assertParameterUnset(PreparedStatement isNull) {
            assertThatThrownBy(isNull::executeQuery).as("the parameter of the first user is gone")
                    .isInstanceOf(SQLException.class).hasMessageContaining("No value specified for parameter 1");
        }

        /** The server's view: no other session of the database is in a transaction or holds a snapshot. */
        @Override
        void assertNoOtherConnectionHoldsARead(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    + " AND (state <> 'idle' OR backend_xmin IS NOT NULL)")) {
                r.next();
                assertThat(r.getInt(1)).as("sessions in a transaction or holding a snapshot").isZero();
            }
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

        @Override
        void lockAgainstWriters(Statement foreign, String table) throws SQLException {
            foreign.execute("BEGIN");
            foreign.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE");
        }

        @Override
        String lockWaitCode() {
            return "55P03";
        }

        @Override
        Object[] changeNeedingNewConnections() {
            return new Object[] {"isolation", "REPEATABLE_READ"};
        }

        @Override
        Map<String, Object> generation(int n, boolean stricter) {
            return Map.of("lockTimeout", 5000 + n, "isolation", stricter ? "REPEATABLE_READ" : "READ_COMMITTED");
        }

        @Override
        void assertGeneration(Connection c, int n, boolean stricter) throws SQLException {
            try (Statement s = c.createStatement()) {
                assertThat(show(s, "lock_timeout")).isEqualTo((5000 + n) + "ms");
                assertThat(show(s, "default_transaction_isolation")).isEqualTo(stricter ? "repeatable read" : "read committed");
            }
        }

        private static String show(Statement s, String setting) throws SQLException {
            try (ResultSet r = s.executeQuery("SHOW " + setting)) {
                r.next();
                return r.getString(1);
            }
        }

        @Override
        Map<String, Object> invalidSetting() {
            return Map.of("isolation", "SERIALIZABLE; DROP TABLE t");
        }

        /** PostgreSQL only warns at a BEGIN inside a transaction: asks pgjdbc, which tracks the server's state. */
        @Override
        void assertNoTransactionOpen(Connection c) throws SQLException {
            assertThat(c.unwrap(BaseConnection.class).getTransactionState()).isEqualTo(TransactionState.IDLE);
        }
    };

    /** A query of one parameter that answers 1 when it is NULL, else 0, on both types. */
    static final String IS_NULL = "SELECT CASE WHEN ? IS NULL THEN 1 ELSE 0 END";

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

    /** @return words of the driver's message for a unique (or primary key) violation */
    abstract String uniqueViolationWords();

    /** Asserts that {@link #IS_NULL}, its parameter never set, runs as the driver runs unset parameters. */
    abstract void assertParameterUnset(PreparedStatement isNull) throws SQLException;

    /** Asserts, through {@code c}, that no other connection to the database holds a read transaction. */
    abstract void assertNoOtherConnectionHoldsARead(Connection c) throws SQLException;

    /** @return the property that bounds how long a statement waits for a lock another transaction holds */
    abstract Map<String, Object> lockWait(int millis);

    /** @return the properties that make the writer queue let one writer in at a time */
    abstract Map<String, Object> oneWriter();

    /**
     * Begins a transaction on a connection of another program that holds the lock writers of
     * {@code table} need, until it rolls back: SQLite's write lock, a PostgreSQL table lock.
     */
    abstract void lockAgainstWriters(Statement foreign, String table) throws SQLException;

    /** @return how {@code status().errorsByCode()} names a lock wait that ran out ({@link #lockWait}) */
    abstract String lockWaitCode();

    /** @return property, value: a change that needs new connections, so a new pool generation */
    abstract Object[] changeNeedingNewConnections();

    /**
     * @param n which generation of settings: SQLite's start is 62000 ({@code cache_size=-64000})
     * @param stricter a second setting that needs new connections, on or off
     * @return properties that need new connections (a new pool generation) whenever {@code n} changes
     */
    abstract Map<String, Object> generation(int n, boolean stricter);

    /** Asserts that the connection has the settings of {@link #generation}. */
    abstract void assertGeneration(Connection c, int n, boolean stricter) throws SQLException;

    /** @return property, value: a setting its validation refuses (SQL smuggled into a value) */
    abstract Map<String, Object> invalidSetting();

    /** Asserts that the database has no transaction open on the connection. */
    abstract void assertNoTransactionOpen(Connection c) throws SQLException;
}
