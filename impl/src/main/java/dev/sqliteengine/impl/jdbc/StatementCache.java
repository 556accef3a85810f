package dev.sqliteengine.impl.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared statements of one physical connection, kept across checkouts: preparing is about
 * half the cost of a point read through sqlite-jdbc (BENCHMARKS.md), and applications prepare
 * the same few statements again and again. The statements are prepared on the driver's
 * connection itself, past HikariCP's proxy, which would close them at every check-in.
 * <p>
 * Invariants:
 * <ul>
 * <li>A driver statement is either idle here or lent to exactly one open
 * {@link EnginePreparedStatement}, never both: {@link #lend} removes it from {@link #idle}, and
 * only {@link #giveBack} puts it back, once, after its engine statement closed (which refuses
 * every later call).</li>
 * <li>Nothing lent outlives the checkout: the connection's check-in calls {@link #reclaimAll}
 * before the connection goes back to its pool, so no statement that is still stepping keeps a
 * read (and the WAL) open in an idle connection, and the next checkout never meets a statement
 * another one still uses.</li>
 * <li>A statement prepared before the last schema change that went through the engine
 * ({@link StatementCaches#schemaEpoch}) is never lent again: the driver keeps a prepared
 * statement's columns from when it was prepared.</li>
 * </ul>
 * Confinement: used only by the thread that has the connection checked out; HikariCP hands a
 * connection to one thread at a time, and the check-in happens-before the next checkout.
 * When HikariCP closes the physical connection, the driver finalizes these statements itself.
 */
public final class StatementCache {

    private record Idle(PreparedStatement statement, SqlKind kind, boolean changesSchema, long epoch) {
    }

    private final java.sql.Connection physical;
    private final StatementCaches owner;
    /** Idle statements by SQL text, least recently used first. */
    private final LinkedHashMap<String, Idle> idle = new LinkedHashMap<>(16, 0.75f, true);
    private final List<EnginePreparedStatement> lent = new ArrayList<>(4);

    StatementCache(java.sql.Connection physical, StatementCaches owner) {
        this.physical = physical;
        this.owner = owner;
    }

    /** @return whether the physical connection is closed, when its entry can go */
    boolean connectionClosed() {
        try {
            return physical.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * @return a statement for {@code sql} on {@code connection}: an idle one of this connection
     *         when one is current, else a new one, which goes back here when it closes
     */
    EnginePreparedStatement lend(EngineConnection connection, String sql) throws SQLException {
        long epoch = owner.schemaEpoch();
        Idle hit = idle.remove(sql);
        EnginePreparedStatement statement;
        if (hit != null && hit.epoch() == epoch) {
            owner.hit();
            statement = new EnginePreparedStatement(connection, hit.statement(), sql, hit.kind(), hit.changesSchema(),
                    this, epoch);
        } else {
            if (hit != null) {
                closeQuietly(hit.statement());
            }
            owner.miss();
            statement = new EnginePreparedStatement(connection, physical.prepareStatement(sql), sql, SqlKind.of(sql),
                    SqlKind.mayChangeSchema(sql), this, epoch);
        }
        lent.add(statement);
        return statement;
    }

    /**
     * Takes back a statement that closed: idle again when it can be reset and is current, else
     * closed. The least recently used idle statement is closed when the cache is over its size.
     */
    void giveBack(EnginePreparedStatement statement) {
        removeLent(statement);
        PreparedStatement driver = statement.driverStatement();
        int capacity = owner.capacity();
        if (!statement.reusable || statement.epoch != owner.schemaEpoch() || capacity == 0) {
            closeQuietly(driver);
            return;
        }
        try {
            if (driver.isClosed()) {
                return;
            }
            statement.resetDriver();
        } catch (SQLException e) {
            closeQuietly(driver);
            return;
        }
        Idle previous = idle.put(statement.sql(), new Idle(driver, statement.kind(), statement.schemaChanging(),
                statement.epoch));
        if (previous != null) {
            closeQuietly(previous.statement()); // the same SQL was open twice at once: keep one
        }
        Iterator<Map.Entry<String, Idle>> eldest = idle.entrySet().iterator();
        while (idle.size() > capacity && eldest.hasNext()) {
            closeQuietly(eldest.next().getValue().statement());
            eldest.remove();
        }
    }

    /** At check-in: closes every statement still lent, which gives it back (see {@link #giveBack}). */
    public void reclaimAll() {
        for (int i = lent.size() - 1; i >= 0; i--) {
            lent.get(i).reclaim(); // removes itself from lent
        }
        assert lent.isEmpty() : "a statement of this connection was not taken back at check-in";
    }

    /** @return how many statements wait here now */
    public int idleCount() {
        return idle.size();
    }

    private void removeLent(EnginePreparedStatement statement) {
        // Usually the last one lent: statements are mostly closed in the reverse order of opening.
        for (int i = lent.size() - 1; i >= 0; i--) {
            if (lent.get(i) == statement) {
                lent.remove(i);
                return;
            }
        }
        throw new AssertionError("a statement was given back twice or to the wrong cache");
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // the driver finalizes it with its connection at the latest
        }
    }
}
