package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * Code that unwraps to sqlite-jdbc's own objects runs SQL past the engine's wrappers. Whatever it
 * leaves open is still rolled back when the connection goes back to its pool, because check-in
 * then asks SQLite instead of trusting the wrapper's books.
 */
class UnwrappedConnectionTest {

    @TempDir
    Path dir;

    Engine engine;

    @BeforeEach
    void open() {
        // one DataSource connection, so the next borrower gets the same one; busy_timeout 0 makes
        // any lock left behind fail the next write at once
        engine = new SqliteEngineFactory(new EngineRegistry()).create(Map.of("name", "unwrapped",
                "path", dir.resolve("unwrapped.db").toString(), "osgi.connection.max", 1,
                "pragma.busy_timeout", 0, "write.retries", 0));
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v INTEGER)"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aTransactionBegunOnTheUnwrappedDriverConnectionIsRolledBackAtCheckIn() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            SQLiteConnection raw = c.unwrap(SQLiteConnection.class);
            try (Statement s = raw.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("INSERT INTO t VALUES (1)");
            }
        }
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (2)"));
        assertThat(sum()).isEqualTo(2);
    }

    @Test
    void aTransactionBegunOnAnUnwrappedStatementIsRolledBackAtCheckIn() throws Exception {
        try (Connection c = engine.dataSource().getConnection(); Statement s = c.createStatement()) {
            Statement raw = s.unwrap(org.sqlite.jdbc4.JDBC4Statement.class);
            raw.execute("BEGIN IMMEDIATE");
            raw.execute("INSERT INTO t VALUES (1)");
        }
        try (Connection next = engine.dataSource().getConnection()) {
            next.createStatement().execute("INSERT INTO t VALUES (4)"); // an auto-commit write, committed
        }
        assertThat(sum()).isEqualTo(4);
    }

    @Test
    void aConnectionWhoseDriverConnectionWasClosedUnderItIsEvictedNotPooled() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            c.createStatement().execute("INSERT INTO t VALUES (1)");
            c.unwrap(SQLiteConnection.class).close(); // SQLite cannot be asked, nor roll back: evict
        }
        // osgi.connection.max=1: the broken connection must not be the one handed out next
        try (Connection next = engine.dataSource().getConnection()) {
            next.createStatement().execute("INSERT INTO t VALUES (2)");
        }
        assertThat(sum()).isEqualTo(3);
        assertThat(engine.status().pools()).filteredOn(p -> p.pool().equals("dataSource"))
                .allSatisfy(p -> assertThat(p.total()).isLessThanOrEqualTo(1));
    }

    private int sum() {
        return engine.connections().read(c -> {
            try (var rows = c.createStatement().executeQuery("SELECT coalesce(sum(v), 0) FROM t")) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }
}
