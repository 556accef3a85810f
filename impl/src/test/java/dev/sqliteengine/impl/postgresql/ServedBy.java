package dev.sqliteengine.impl.postgresql;

import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.impl.engine.SqliteEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which server served a unit or a transaction, as the connection that served it says: a replica
 * is in recovery ({@code pg_is_in_recovery()}), and each server has a port of its own.
 *
 * @param replica whether the server is a replica
 * @param port the server's port ({@code inet_server_port()})
 */
record ServedBy(boolean replica, int port) {

    private static final Pattern WAITED = Pattern.compile("(\\d+) waited for a replica");

    static ServedBy of(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_is_in_recovery(), inet_server_port()")) {
            r.next();
            return new ServedBy(r.getBoolean(1), r.getInt(2));
        }
    }

    /** @return who serves a read unit of the engine now */
    static ServedBy aReadUnit(SqliteEngine engine) {
        return engine.connections().read(ServedBy::of);
    }

    /** Waits until the engine's read units run on the replica with that port (after it opened, or came back). */
    static void awaitReadsOn(SqliteEngine engine, int port) {
        await().atMost(Duration.ofMinutes(1)).until(() -> aReadUnit(engine).port() == port);
    }

    /** @return how many reads waited for a replica to replay a commit, as health says */
    static long waits(SqliteEngine engine) {
        String message = engine.health().finding(EngineHealth.REPLICAS).orElseThrow().message();
        Matcher m = WAITED.matcher(message);
        if (!m.find()) {
            throw new AssertionError("no count of waits in " + message);
        }
        return Long.parseLong(m.group(1));
    }

    /** @return whether the unit's snapshot sees the row {@code id} of table t */
    static boolean seesRow(Connection c, long id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM t WHERE id = " + id)) {
            r.next();
            return r.getLong(1) == 1;
        }
    }
}
