package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineProperties;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Settings that a live reconfiguration of each database type applies through new connections (a
 * new pool generation), and one its validation refuses: SQLite's pragmas, PostgreSQL's
 * {@code lockTimeout} and {@code isolation}.
 */
final class LiveSettings {

    private static final String PRAGMA = EngineProperties.PRAGMA_PREFIX;

    private LiveSettings() {}

    /** @return property, value: a change that needs new connections */
    static Object[] changeNeedingNewConnections(DatabaseKind kind) {
        return kind == DatabaseKind.SQLITE ? new Object[] {PRAGMA + "synchronous", "FULL"}
                : new Object[] {"isolation", "REPEATABLE_READ"};
    }

    /**
     * @param n which generation of settings: SQLite's start is 62000 ({@code cache_size=-64000})
     * @param stricter a second setting that needs new connections, on or off
     * @return properties that need new connections whenever {@code n} or {@code stricter} changes
     */
    static Map<String, Object> generation(DatabaseKind kind, int n, boolean stricter) {
        return kind == DatabaseKind.SQLITE
                ? Map.of(PRAGMA + "cache_size", -2000 - n, PRAGMA + "synchronous", stricter ? "FULL" : "NORMAL")
                : Map.of("lockTimeout", 5000 + n, "isolation", stricter ? "REPEATABLE_READ" : "READ_COMMITTED");
    }

    /** Asserts that the connection has the settings of {@link #generation}. */
    static void assertGeneration(DatabaseKind kind, Connection c, int n, boolean stricter) throws SQLException {
        if (kind == DatabaseKind.SQLITE) {
            assertThat(SqliteEngineTest.pragma(c, "cache_size")).isEqualTo(String.valueOf(-2000 - n));
            assertThat(SqliteEngineTest.pragma(c, "synchronous")).isEqualTo(stricter ? "2" : "1");
        } else {
            assertThat(show(c, "lock_timeout")).isEqualTo((5000 + n) + "ms");
            assertThat(show(c, "default_transaction_isolation")).isEqualTo(stricter ? "repeatable read" : "read committed");
        }
    }

    /**
     * Asserts that a read unit's connection has the settings of {@link #generation} that apply to
     * it: on PostgreSQL a read unit runs {@code REPEATABLE READ READ ONLY} whatever
     * {@code isolation} says (docs/postgresql.md), so only the lock wait follows the generation.
     */
    static void assertReadUnitGeneration(DatabaseKind kind, Connection c, int n) throws SQLException {
        if (kind == DatabaseKind.SQLITE) {
            assertGeneration(kind, c, n, false);
        } else {
            assertThat(show(c, "lock_timeout")).isEqualTo((5000 + n) + "ms");
            assertThat(show(c, "transaction_isolation")).isEqualTo("repeatable read");
            assertThat(show(c, "transaction_read_only")).isEqualTo("on");
        }
    }

    /** @return property, value: a setting its validation refuses (SQL smuggled into a value) */
    static Map<String, Object> invalidSetting(DatabaseKind kind) {
        return kind == DatabaseKind.SQLITE ? Map.of(PRAGMA + "journal_mode", "WAL; DROP TABLE t")
                : Map.of("isolation", "SERIALIZABLE; DROP TABLE t");
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
            r.next();
            return r.getString(1);
        }
    }
}
