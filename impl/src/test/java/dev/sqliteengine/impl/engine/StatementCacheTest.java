package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.StatementCacheFigures;
import dev.sqliteengine.impl.jdbc.StatementCache;
import dev.sqliteengine.impl.jdbc.StatementCaches;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.transactions.ClientConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, the prepared-statement cache ({@code statement.cacheSize}): a statement prepared
 * again on the same connection is the one it kept, and whatever the first user did to it (rows
 * left half read, parameters, settings, a statement used after close, a schema change) never
 * reaches the next user.
 */
@OnEveryDatabaseType
class StatementCacheTest {

    private static final String POINT_READ = "SELECT v FROM t WHERE id = ?";

    private final TestDatabase database;
    private SqliteEngine engine;

    StatementCacheTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        engine = database.open("cache");
        engine.connections().write(c -> {
            SqliteEngineTest.sql(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            try (PreparedStatement s = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                for (int i = 0; i < 500; i++) {
                    s.setInt(1, i);
                    s.setString(2, "v" + i);
                    s.addBatch();
                }
                return s.executeBatch();
            }
        });
    }

    private EngineSettings settings(Object... keyValues) {
        return database.settings("cache", keyValues);
    }

    private StatementCaches caches() {
        PoolGeneration generation = engine.enter();
        try {
            return generation.statementCaches();
        } finally {
            generation.exit();
        }
    }

    private static String pointRead(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(POINT_READ)) {
            s.setInt(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    @Test
    void aStatementPreparedAgainOnTheSameConnectionIsTheOneItKept() throws Exception {
        long hits = caches().hits();
        long misses = caches().misses();
        try (Connection c = engine.dataSource().getConnection()) {
            assertThat(pointRead(c, 1)).isEqualTo("v1");
            assertThat(pointRead(c, 2)).isEqualTo("v2");
        }
        assertThat(caches().misses() - misses).as("prepared once").isEqualTo(1);
        assertThat(caches().hits() - hits).as("then lent again").isEqualTo(1);
        assertThat(engine.status().statementCache()).as("the figures in the engine's status")
                .isEqualTo(new StatementCacheFigures(hits + 1, misses + 1));
        // Units: one connection per unit; the same SQL three times in one unit is prepared once.
        long unitMisses = caches().misses();
        engine.connections().read(c -> {
            for (int i = 0; i < 3; i++) {
                assertThat(pointRead(c, i)).isEqualTo("v" + i);
            }
            return null;
        });
        assertThat(caches().misses() - unitMisses).isLessThanOrEqualTo(1);
    }

    @Test
    void rowsLeftHalfReadAndStatementsLeftOpenAreTakenBackAtCheckIn() throws Exception {
        PreparedStatement left;
        ResultSet rows;
        try (Connection c = engine.dataSource().getConnection()) {
            left = c.prepareStatement("SELECT v FROM t ORDER BY id");
            rows = left.executeQuery();
            assertThat(rows.next()).isTrue();
            // neither the rows nor the statement are closed
        }
        assertThat(left.isClosed()).as("closed with its connection, as JDBC says").isTrue();
        assertThat(rows.isClosed()).isTrue();
        assertThatThrownBy(rows::next).isInstanceOf(SQLException.class).hasMessageContaining("[cache]")
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> left.setInt(1, 1)).isInstanceOf(SQLException.class).hasMessageContaining("closed");

        // No connection in a pool still holds a read (SQLite: a TRUNCATE checkpoint is not blocked).
        engine.connections().write(c -> c.createStatement().executeUpdate("UPDATE t SET v = v || '!'"));
        try (Connection c = engine.dataSource().getConnection()) {
            database.kind().assertNoOtherConnectionHoldsARead(c);
        }
    }

    @Test
    void theNextUserGetsTheStatementWithoutParametersOrChangedSettings() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            try (PreparedStatement s = c.prepareStatement(DatabaseKind.IS_NULL)) {
                s.setInt(1, 7);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    assertThat(r.getInt(1)).isZero();
                }
            }
            try (PreparedStatement s = c.prepareStatement(DatabaseKind.IS_NULL)) {
                database.kind().assertParameterUnset(s);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM t ORDER BY id")) {
                s.setMaxRows(2);
                assertThat(countRows(s)).isEqualTo(2);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM t ORDER BY id")) {
                assertThat(countRows(s)).as("no row limit from the first user").isEqualTo(500);
            }
        }
    }

    private static int countRows(PreparedStatement s) throws SQLException {
        int n = 0;
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aStatementClosedTwiceOrUsedAfterCloseNeverReachesTheNextUser() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            PreparedStatement old = c.prepareStatement(POINT_READ);
            old.setInt(1, 3);
            ResultSet oldRows = old.executeQuery();
            old.close();
            old.close(); // allowed, and gives nothing back twice

            try (PreparedStatement now = c.prepareStatement(POINT_READ)) {
                now.setInt(1, 4);
                try (ResultSet r = now.executeQuery()) {
                    assertThatThrownBy(() -> old.setInt(1, 5)).isInstanceOf(SQLException.class);
                    assertThatThrownBy(old::executeQuery).isInstanceOf(SQLException.class);
                    assertThatThrownBy(oldRows::next).isInstanceOf(SQLException.class);
                    oldRows.close(); // allowed on a closed result set, and does not touch the new user's rows
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).as("the new user's parameter and rows").isEqualTo("v4");
                }
            }
        }
    }

    @Test
    void aSchemaChangeThroughTheEngineOrAnUnwrappedConnectionMakesKeptStatementsStale() throws Exception {
        assertThat(columns("SELECT * FROM t")).isEqualTo(2);
        engine.connections().write(c -> c.createStatement().executeUpdate("ALTER TABLE t ADD COLUMN w INTEGER"));
        assertThat(columns("SELECT * FROM t")).as("after ALTER TABLE in a write unit").isEqualTo(3);

        try (Connection c = engine.dataSource().getConnection();
                Statement s = ((Connection) c.unwrap(database.kind().driverConnection())).createStatement()) {
            s.executeUpdate("ALTER TABLE t ADD COLUMN x INTEGER");
        }
        assertThat(columns("SELECT * FROM t")).as("after ALTER TABLE on the driver's connection").isEqualTo(4);

        try (Connection c = engine.dataSource().getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM t")) {
                assertThat(s.executeQuery().getMetaData().getColumnCount()).isEqualTo(4);
            }
            try (PreparedStatement ddl = c.prepareStatement("ALTER TABLE t ADD COLUMN y INTEGER")) {
                ddl.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM t")) {
                assertThat(s.executeQuery().getMetaData().getColumnCount()).as("after a prepared ALTER TABLE").isEqualTo(5);
            }
        }
    }

    @Test
    void aFailedStatementLeavesTheKeptStatementsCurrent() throws Exception {
        try (Connection c = engine.dataSource().getConnection()) {
            assertThat(pointRead(c, 5)).isEqualTo("v5");
        }
        long epoch = caches().schemaEpoch();
        try (Connection c = engine.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO t VALUES (?, 'again')")) {
            s.setInt(1, 5);
            assertThatThrownBy(s::executeUpdate).isInstanceOf(SQLException.class)
                    .hasMessageContaining(database.kind().uniqueViolationWords());
        }
        assertThat(caches().schemaEpoch()).as("a constraint violation changes no schema").isEqualTo(epoch);
        long hits = caches().hits();
        try (Connection c = engine.dataSource().getConnection()) {
            assertThat(pointRead(c, 6)).isEqualTo("v6");
        }
        assertThat(caches().hits()).isEqualTo(hits + 1);
    }

    /** The column count a read unit and the DataSource see for {@code sql}, prepared twice each. */
    private int columns(String sql) throws SQLException {
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            seen.add(engine.connections().read(c -> {
                try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                    return r.getMetaData().getColumnCount();
                }
            }));
            try (Connection c = engine.dataSource().getConnection();
                    PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                seen.add(r.getMetaData().getColumnCount());
            }
        }
        assertThat(seen).as("every path agrees").containsOnly(seen.get(0));
        return seen.get(0);
    }

    @Test
    void theSizeChangesInPlaceAndZeroTurnsTheCacheOff() throws Exception {
        StatementCaches before = caches();
        assertThat(engine.reconfigure(settings("statement.cacheSize", 2))).isTrue();
        assertThat(caches()).as("no new pools for a new size").isSameAs(before);
        try (Connection c = engine.dataSource().getConnection()) {
            for (int i = 0; i < 5; i++) {
                try (PreparedStatement s = c.prepareStatement("SELECT " + i)) {
                    s.executeQuery().close();
                }
            }
            StatementCache cache = ((ClientConnection) c).statementCache();
            assertThat(cache.idleCount()).as("least recently used statements closed").isEqualTo(2);
        }
        engine.reconfigure(settings("statement.cacheSize", 0));
        long misses = caches().misses();
        try (Connection c = engine.dataSource().getConnection()) {
            assertThat(((ClientConnection) c).statementCache()).isNull();
            assertThat(pointRead(c, 9)).isEqualTo("v9");
        }
        assertThat(caches().misses()).isEqualTo(misses);
    }

    @Test
    void aSizeOutOfRangeIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> settings("statement.cacheSize", -1)).isInstanceOfSatisfying(ConfigurationException.class,
                e -> {
                    assertThat(e.property()).isEqualTo("statement.cacheSize");
                    assertThat(e.getMessage()).contains("[cache]").contains("-1").contains("0 (no cache) to 1000");
                });
        assertThatThrownBy(() -> settings("statement.cacheSize", 1001)).isInstanceOf(ConfigurationException.class);
    }

    /**
     * Sixteen threads share 8 data source connections and the reader pool, preparing the same
     * statements with their own parameters: every read sees its own row, so no statement was
     * ever used by two checkouts at once ({@code -ea} checks the cache's invariants meanwhile).
     */
    @Test
    void manyThreadsPreparingTheSameStatementsEachSeeTheirOwnRows() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 300; i++) {
                        int id = (thread * 31 + i) % 500;
                        if (i % 3 == 0) {
                            String read = engine.connections().read(c -> pointRead(c, id));
                            assertThat(read).isEqualTo("v" + id);
                        } else if (i % 3 == 1) {
                            try (Connection c = engine.dataSource().getConnection()) {
                                assertThat(pointRead(c, id)).isEqualTo("v" + id);
                                if (i % 7 == 0) {
                                    c.prepareStatement(POINT_READ).setInt(1, id); // left open
                                }
                            }
                        } else {
                            engine.connections().write(c -> {
                                try (PreparedStatement s = c.prepareStatement("UPDATE t SET v = v WHERE id = ?")) {
                                    s.setInt(1, id);
                                    return s.executeUpdate();
                                }
                            });
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(300);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(caches().hits()).as("statements were reused").isPositive();
    }
}
