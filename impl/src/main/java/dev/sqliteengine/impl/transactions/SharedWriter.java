package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.figures.EngineMetrics;
import dev.sqliteengine.impl.jdbc.StatementLog;
import dev.sqliteengine.impl.replicas.ReadRouter;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.writer.GroupCommitQueue;
import dev.sqliteengine.impl.writer.WriterQueue;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The engine's writer as its {@link ClientConnection}s share it, and where their read-only
 * transactions may run ({@link ReadRouter}): one object per engine, so that
 * a connection handed out by {@code connect()} or the {@code DataSource} costs one small
 * allocation (the checkout benchmark holds the engine to 0.95× raw HikariCP). It speaks JDBC:
 * failing to get the writer is an {@link SQLException}, as callers of a {@code DataSource}
 * expect, where a unit of work gets a {@code ConnectionException}.
 */
public final class SharedWriter {

    final String engine;
    /** The engine's statement log, for the connections that share this writer. */
    final StatementLog statements;
    private final WriterQueue gate;
    /** The write units' queue: a unit that runs in a group holds it, not the gate. */
    private final GroupCommitQueue units;
    private final ListenerSet listeners;
    private final EngineMetrics metrics;
    /** Where the connections' read-only transactions run, and whom their commits are told to. */
    final ReadRouter reads;

    public SharedWriter(String engine, WriterQueue gate, GroupCommitQueue units, ListenerSet listeners, StatementLog statements,
            EngineMetrics metrics, ReadRouter reads) {
        this.engine = engine;
        this.reads = reads;
        this.statements = statements;
        this.gate = gate;
        this.units = units;
        this.listeners = listeners;
        this.metrics = metrics;
    }

    /** Counts a statement that failed on one of these connections, by its result code. */
    void statementFailed(SQLException failure) {
        metrics.statementFailed(failure);
    }

    /**
     * Waits for the writer, in the order {@code write.queue} sets,
     * for at most {@code osgi.connection.timeout}; the caller must {@link #leave()} exactly once.
     *
     * @throws SQLTransientConnectionException on timeout, saying so
     * @throws SQLException when this thread holds the writer already and would wait for itself,
     *         or is interrupted
     */
    void enter(EngineSettings settings) throws SQLException {
        if (gate.heldByCurrentThread() || units.heldByCurrentThread()) {
            throw new SQLException("[" + engine + "] this thread already holds the engine's writer (a write unit or"
                    + " another transaction of this engine is open on it), so this write would wait for itself; write"
                    + " through the connection that holds the writer, or end its transaction first", "25000");
        }
        boolean entered;
        try {
            entered = gate.enter(settings.connectionTimeout(), settings.writeQueue(), settings.bargeLimit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("[" + engine + "] interrupted while waiting for the writer", "08000", e);
        }
        if (!entered) {
            throw new SQLTransientConnectionException("[" + engine + "] a write waited " + settings.connectionTimeout()
                    + " ms (osgi.connection.timeout) for the writer; " + gate.waiting() + " more writers are waiting."
                    + " A unit or transaction holds the writer too long, or the timeout is too short.", "08001");
        }
    }

    /** @param entrant the thread that entered, which need not be the calling one */
    void leave(Thread entrant) {
        gate.exit(entrant);
    }

    /** Records the connection's usage, if timed, and tells listeners, if any, that it went back to its pool. */
    void checkedIn(long checkedOut) {
        metrics.clientCheckedIn(checkedOut);
        if (!listeners.isEmpty()) {
            listeners.fire(EngineEvent.Type.CHECKIN, "connection returned", null);
        }
    }
}
