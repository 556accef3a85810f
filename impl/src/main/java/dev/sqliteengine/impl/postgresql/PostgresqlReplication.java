package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.impl.database.Replication;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.core.BaseConnection;

/**
 * PostgreSQL's streaming replicas (hot standbys): their connections log in as the engine's user,
 * since a physical replica has the primary's roles, and start as the readers do (transactions
 * that refuse writes). Positions are the write-ahead log's, as bytes from {@code 0/0}:
 * {@code pg_current_wal_lsn()} on the primary after a commit (the position written so far, which
 * a synchronous commit has passed), {@code pg_last_wal_replay_lsn()} on a replica, where every
 * transaction that begins afterwards sees what was replayed. Each is one query of a single row;
 * both are read outside a transaction.
 */
final class PostgresqlReplication implements Replication {

    private static final String COMMIT_POSITION = "SELECT (pg_current_wal_lsn() - '0/0')::bigint";
    private static final String REPLAY_POSITION = "SELECT CASE WHEN pg_is_in_recovery()"
            + " THEN coalesce((pg_last_wal_replay_lsn() - '0/0')::bigint, 0) ELSE " + NOT_A_REPLICA + " END";

    @Override
    public DataSource driver(EngineSettings settings, int replica) {
        return ServerPlace.driver(settings, settings.replicas().urls().get(replica), "replica-" + (replica + 1),
                ServerPlace.options(settings, ConnectionRole.READER));
    }

    @Override
    public long commitPosition(Connection primary) throws SQLException {
        return single(primary, COMMIT_POSITION);
    }

    @Override
    public long replayPosition(Connection replica) throws SQLException {
        return single(replica, REPLAY_POSITION);
    }

    /**
     * Class {@code 08} (the connection), {@code 28} (the replica refuses the login), {@code 53}
     * (out of connections or memory), {@code 57P01}-{@code 57P03} (shutting down, starting); a
     * pool's timeout counts when its last attempt to connect failed so.
     */
    @Override
    public boolean cannotServe(SQLException failure) {
        String state = SqlStates.of(failure);
        return state != null && (state.startsWith("08") || state.startsWith("28") || state.startsWith("53")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }

    /**
     * A hot standby cancels a query whose snapshot or locks hold up the replay with SQLSTATE
     * {@code 40001} ({@code 40P01} for a buffer pin deadlock): "canceling statement due to
     * conflict with recovery". A read-only {@code REPEATABLE READ} transaction meets neither for
     * any other reason.
     */
    @Override
    public boolean isRecoveryConflict(SQLException failure) {
        String state = SqlStates.of(failure);
        return SqlStates.SERIALIZATION_FAILURE.equals(state) || SqlStates.DEADLOCK.equals(state);
    }

    private static long single(Connection c, String sql) throws SQLException {
        BaseConnection pg = c instanceof BaseConnection b ? b : c.unwrap(BaseConnection.class);
        try (ResultSet r = pg.execSQLQuery(sql)) {
            if (!r.next()) {
                throw new SQLException("no row from " + sql, "02000");
            }
            return r.getLong(1);
        }
    }
}
