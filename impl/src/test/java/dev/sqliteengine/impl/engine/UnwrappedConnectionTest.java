package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Code that unwraps to the driver's own objects runs SQL past the engine's wrappers. Whatever it
 * leaves open is still rolled back when the connection goes back to its pool, because check-in
 * then asks the database (SQLite, pgjdbc's record of the server's state) instead of trusting the
 * wrapper's books.
 */
@OnEveryDatabaseType
class UnwrappedConnectionTest {

    private final TestDatabase database;
    private Engine engine;

    UnwrappedConnectionTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        // one DataSource connection, so the next borrower gets the same one; no lock wait makes
        // any lock left behind fail the next write at once
        Map<String, Object> config = database.config("unwrapped", "osgi.connection.max", 1, "write.retries", 0);
        config.putAll(database.kind().lockWait(0));
        config.putAll(database.kind().oneWriter());
        engine = database.open(config);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v INTEGER)"));
    }

    private Connection driverConnection(Connection c) throws Exception {
        return (Connection) c.unwrap(database.kind().driverConnection());
    }

    @Test
    void aTransactionBegunOnTheUnwrappedDriverConnectionIsRolledBackAtCheckIn() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            Connection raw = driverConnection(c);
            try (Statement s = raw.createStatement()) {
                s.execute(database.kind().beginWrite());
                s.execute("INSERT INTO t VALUES (1)");
            }
        }
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (2)"));
        assertThat(sum()).isEqualTo(2);
        try (Connection next = engine.dataSource().getConnection()) { // osgi.connection.max=1: the same one
            database.kind().assertNoTransactionOpen(next);
        }
    }

    @Test
    void aTransactionBegunOnAnUnwrappedStatementIsRolledBackAtCheckIn() throws Exception {
        try (Connection c = engine.dataSource().getConnection(); Statement s = c.createStatement()) {
            Statement raw = (Statement) s.unwrap(database.kind().driverStatement());
            raw.execute(database.kind().beginWrite());
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
            driverConnection(c).close(); // the database cannot be asked, nor roll back: evict
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
