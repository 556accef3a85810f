package dev.sqliteengine.impl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the engine reads a statement before it runs it: whether it needs the writer, and whether it
 * begins or ends a transaction. A mistake may only ever go the safe way (a read taken for a write).
 */
class SqlKindTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT 1 | READ",
        "  select * from t | READ",
        "/* a comment */ (SELECT 1) | READ",
        "VALUES (1) | READ",
        "EXPLAIN QUERY PLAN DELETE FROM t | READ",
        "WITH x AS (SELECT 1) SELECT * FROM x | READ",
        "WITH x AS (SELECT 'insert') SELECT * FROM x | READ",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x | WRITE",
        "WITH x AS (SELECT replace(a, 'b', 'c') FROM t) SELECT * FROM x | WRITE",
        "PRAGMA table_info(t) | READ",
        "PRAGMA user_version | READ",
        "PRAGMA main.user_version = 3 | WRITE",
        "PRAGMA wal_checkpoint(TRUNCATE) | WRITE",
        "PRAGMA optimize | WRITE",
        "PRAGMA query_only | READ",
        "PRAGMA query_only=0 | QUERY_ONLY",
        "pragma Query_Only (1) | QUERY_ONLY",
        "SET transaction_read_only = off | QUERY_ONLY",
        "set local TRANSACTION_READ_ONLY to on | QUERY_ONLY",
        "SET SESSION default_transaction_read_only = off | QUERY_ONLY",
        "SET TRANSACTION READ WRITE | QUERY_ONLY",
        "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY | QUERY_ONLY",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE | QUERY_ONLY",
        "RESET transaction_read_only | QUERY_ONLY",
        "RESET default_transaction_read_only | QUERY_ONLY",
        "RESET ALL | QUERY_ONLY",
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ | WRITE",
        "SET search_path = app | WRITE",
        "RESET search_path | WRITE",
        "INSERT INTO t VALUES (1) | WRITE",
        "CREATE TABLE t(v) | WRITE",
        "BEGIN | BEGIN",
        "begin immediate transaction | BEGIN",
        "COMMIT | COMMIT",
        "END TRANSACTION | COMMIT",
        "ROLLBACK | ROLLBACK",
        "ROLLBACK TRANSACTION | ROLLBACK",
        "ROLLBACK TO sp | ROLLBACK_TO",
        "rollback transaction to savepoint sp | ROLLBACK_TO",
        "SAVEPOINT sp | SAVEPOINT",
        "RELEASE sp | RELEASE",
        "'' | WRITE",
        "SELECTED | WRITE",
    })
    void theFirstStatementDecides(String sql, SqlKind kind) {
        assertThat(SqlKind.of(sql)).isEqualTo(kind);
    }

    @Test
    void lineCommentsAreSkipped() {
        assertThat(SqlKind.of("-- why\nCOMMIT")).isEqualTo(SqlKind.COMMIT);
        assertThat(SqlKind.ofScript("SELECT 1; -- COMMIT\n")).isEqualTo(SqlKind.READ);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT 1; | READ",
        "SELECT 1; SELECT 2 | READ",
        "SELECT 1; INSERT INTO t VALUES (1) | WRITE",
        "INSERT INTO t VALUES (1); COMMIT | SCRIPT",
        "BEGIN; INSERT INTO t VALUES (';'); COMMIT; | SCRIPT",
        "INSERT INTO t VALUES ('a;COMMIT') | WRITE",
        "INSERT INTO t VALUES (1) -- ; COMMIT | WRITE",
        "SELECT 1; PRAGMA query_only=0 | QUERY_ONLY",
        "PRAGMA query_only=0; SELECT 1 | QUERY_ONLY",
        "SET transaction_read_only = off; INSERT INTO t VALUES (1) | QUERY_ONLY",
        "COMMIT | COMMIT",
        "CREATE TRIGGER t1 BEFORE INSERT ON t BEGIN SELECT RAISE(ROLLBACK, 'no'); END | WRITE",
        "CREATE TEMP TRIGGER t1 AFTER DELETE ON t BEGIN DELETE FROM u; INSERT INTO v VALUES (1); END; | WRITE",
        "CREATE TRIGGER t1 AFTER DELETE ON t BEGIN DELETE FROM u; END; COMMIT | SCRIPT",
    })
    void aScriptIsReadWhole(String sql, SqlKind kind) {
        assertThat(SqlKind.ofScript(sql)).isEqualTo(kind);
    }
}
