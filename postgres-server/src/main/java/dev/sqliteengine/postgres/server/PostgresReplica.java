package dev.sqliteengine.postgres.server;

import java.util.List;

/**
 * A streaming replica of a {@link PostgresPrimary}, a hot standby that serves reads
 * ({@code pg_is_in_recovery()} is true on its connections). It streams the primary's WAL through
 * the primary's Unix socket and a replication slot of its own, so it catches up after
 * {@link #stop()}/{@link #start()} however much was written meanwhile.
 * <p>
 * Replication lag on demand, for read-your-writes tests: {@link #pauseReplay()} stops applying
 * the WAL it keeps receiving, so what the primary commits afterwards is not visible here until
 * {@link #resumeReplay()}. That is deterministic where a delay ({@code recovery_min_apply_delay})
 * would depend on timing.
 */
public final class PostgresReplica extends PostgresServer {

    private final PostgresPrimary primary;
    private final String slot;

    private PostgresReplica(PostgresPrimary primary, String slot, ServerFolder folder, Startup.Launched launched) {
        super("replica", primary.binaries(), primary.base(), folder, launched);
        this.primary = primary;
        this.slot = slot;
    }

    static PostgresReplica start(PostgresPrimary primary, String slot) {
        BaseFolder base = primary.base();
        ServerAccount account = base.account();
        long began = System.nanoTime();
        ServerFolder folder = base.newServerFolder("replica");
        try {
            ProgramRun.run(account.command(List.of(primary.binaries().program("pg_basebackup").toString(),
                    "-D", folder.data().toString(),
                    "-h", primary.serverFolder().socket().toString(),
                    "-p", Integer.toString(primary.port()),
                    "-U", primary.superuser(),
                    "--write-recovery-conf",
                    "--wal-method=stream",
                    "--create-slot", "--slot=" + slot,
                    "--checkpoint=fast")), folder.setupLog(), START_TIMEOUT, "pg_basebackup of a replica of " + primary);
            Startup.Launched launched = Startup.onFreePort("replica", primary.binaries(), account, folder);
            PostgresReplica replica = new PostgresReplica(primary, slot, folder, launched);
            replica.logStarted(began);
            return replica;
        } catch (RuntimeException e) {
            folder.delete();
            throw e;
        }
    }

    /** @return the primary it replicates */
    public PostgresPrimary primary() {
        return primary;
    }

    /** @return the replication slot on the primary that keeps the WAL this replica needs */
    public String slot() {
        return slot;
    }

    @Override
    public String superuser() {
        return primary.superuser();
    }

    /** The roles are the primary's, replicated: a password changed there is changed here. */
    @Override
    public String superuserPassword() {
        return primary.superuserPassword();
    }

    /**
     * Stops applying WAL ({@code pg_wal_replay_pause()}) and returns once replay has paused. The
     * replica still receives WAL; what the primary commits from now on is not visible here.
     */
    public void pauseReplay() {
        queryText("postgres", "SELECT pg_wal_replay_pause()::text");
        Poll.until(START_TIMEOUT, this::isReplayPaused, () -> this + " did not pause its replay within "
                + START_TIMEOUT.toSeconds() + " s");
    }

    /** Applies WAL again ({@code pg_wal_replay_resume()}), the WAL received while paused first. */
    public void resumeReplay() {
        queryText("postgres", "SELECT pg_wal_replay_resume()::text");
    }

    /** @return whether replay is paused ({@code pg_get_wal_replay_pause_state()} is {@code paused}) */
    public boolean isReplayPaused() {
        return "paused".equals(queryText("postgres", "SELECT pg_get_wal_replay_pause_state()"));
    }

    /** @return the end of the last WAL record applied ({@code pg_last_wal_replay_lsn()}) */
    public String replayLsn() {
        return queryText("postgres", "SELECT pg_last_wal_replay_lsn()::text");
    }

    /** @return the end of the WAL received and written ({@code pg_last_wal_receive_lsn()}) */
    public String receiveLsn() {
        return queryText("postgres", "SELECT pg_last_wal_receive_lsn()::text");
    }

    /**
     * Waits until the replica has applied the WAL up to the position, at most 2 minutes.
     *
     * @param lsn a position of the primary's WAL, such as {@link PostgresPrimary#currentWalLsn()}
     * @throws PostgresServerException when it has not by then, or replay is paused
     */
    public void awaitReplayOf(String lsn) {
        String reached = "SELECT coalesce(pg_last_wal_replay_lsn() >= ?::pg_lsn, false)::text";
        Poll.until(START_TIMEOUT, () -> {
            if ("true".equals(queryText("postgres", reached, lsn))) {
                return true;
            }
            if (isReplayPaused()) {
                throw new PostgresServerException(this + " cannot reach " + lsn + ": its replay is paused"
                        + " (resumeReplay() first); it has applied up to " + replayLsn());
            }
            return false;
        }, () -> this + " did not apply the WAL up to " + lsn + " within " + START_TIMEOUT.toSeconds()
                + " s; it has applied up to " + replayLsn() + ". Its log:\n" + ProgramRun.tail(logFile(), 30));
    }

    /** Waits until the replica has applied all the WAL the primary has written so far. */
    public void awaitCaughtUp() {
        awaitReplayOf(primary.currentWalLsn());
    }

    @Override
    void afterStop() {
        primary.replicaClosed(this, slot);
    }
}
