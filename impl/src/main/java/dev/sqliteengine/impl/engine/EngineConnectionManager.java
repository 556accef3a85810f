package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Runs units of work: write units one at a time on the writer connection inside
 * {@code BEGIN IMMEDIATE … COMMIT}, read units concurrently on query-only readers inside a
 * deferred {@code BEGIN … COMMIT} (one consistent snapshot per unit).
 * <p>
 * Why SQL and not {@code setAutoCommit(false)}: sqlite-jdbc in IMMEDIATE mode runs
 * {@code BEGIN IMMEDIATE} again right after every commit, so a connection idling in the pool
 * would hold the write lock. Our connections stay in auto-commit mode, and a transaction exists
 * exactly between our {@code BEGIN} and our {@code COMMIT}/{@code ROLLBACK}.
 * <p>
 * Lock order within a write unit: the {@link WriterGate}, then entering the current
 * {@link PoolGeneration}, then the writer connection; released in reverse order. The engine's
 * lifecycle lock comes before the gate (a switch that leaves WAL mode pauses writers), so a
 * write unit never asks for the lifecycle lock while it holds the gate. A thread's unit
 * in progress is kept in {@link #current}, so nested units find their connection without
 * touching the gate (which is not reentrant) or a pool (which could deadlock a small pool).
 * <p>
 * The work receives a {@link UnitConnection}, one per unit, nested ones included: the engine owns
 * the transaction, and a statement that fails is followed by asking SQLite whether the transaction
 * is still there (see {@link UnitTransaction}). A connection goes back to its pool only clean:
 * after a successful {@code COMMIT}, or after SQLite confirmed that no transaction is open;
 * otherwise it is evicted.
 * <p>
 * A write unit's waiting is bounded by one deadline, {@code write.deadline} after the call:
 * each wait at the gate is cut to what is left of it, SQLite's {@code busy_timeout} is
 * shortened for a run that has less left than that (and set back before the writer goes back to
 * its pool, or the writer is evicted), and a retry whose backoff ({@link RetrySchedule}) would
 * reach the deadline is not started. Only the work's own running time is not bounded.
 */
final class EngineConnectionManager implements ConnectionManager {

    private final SqliteEngine engine;
    private final ThreadLocal<UnitTransaction> current = new ThreadLocal<>();

    EngineConnectionManager(SqliteEngine engine) {
        this.engine = engine;
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        UnitTransaction outer = current.get();
        if (outer != null) {
            return outer.write ? readInsideWrite(outer, work) : readInsideRead(outer, work);
        }
        long started = System.nanoTime();
        PoolGeneration generation = engine.enter();
        try {
            Connection c = connection(generation, false);
            UnitTransaction unit = new UnitTransaction(c, false, engine.name(), engine.statements(),
                    generation.statementCaches());
            current.set(unit);
            boolean clean = false;
            try {
                execute(c, "BEGIN");
                T result = work.run(new UnitConnection(unit));
                if (unit.aborted != null) {
                    throw failed(aborted(unit, "read unit"));
                }
                execute(c, "COMMIT");
                clean = true;
                return result;
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw failed(unit.aborted != null ? aborted(unit, "read unit") : readFailure(e));
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                current.remove();
                unit.endStatements();
                checkIn(generation, PoolGeneration.READERS, c, clean);
            }
        } finally {
            generation.exit();
            engine.metrics().readUnits.recordSince(started);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        UnitTransaction outer = current.get();
        if (outer != null) {
            if (outer.readOnly()) {
                throw failed(new EngineException(engine.name(), "a write unit cannot run inside a read unit:"
                        + " upgrading a read to a write is how SQLite deadlocks; run the read inside the write instead"));
            }
            return nestedWrite(outer, work);
        }
        if (engine.gate().heldByCurrentThread()) {
            throw failed(new EngineException(engine.name(), "this thread holds the engine's writer through a"
                    + " transaction of Engine.connect() or the DataSource that is still open, so a write unit here would"
                    + " wait for itself; commit or roll back that transaction first, or write on its connection"));
        }
        long started = System.nanoTime();
        EngineSettings settings = engine.settings();
        // Every wait of this unit (queue, locks, backoff) ends by this System.nanoTime().
        WriteDeadline deadline = new WriteDeadline(engine.name(), settings.writeDeadline());
        try {
            for (int attempt = 0;; attempt++) {
                try {
                    return writeOnce(work, deadline);
                } catch (EngineException e) {
                    if (attempt >= settings.writeRetries() || !SqlErrors.isTransient(e) || !(e.getCause() instanceof SQLException)) {
                        throw e;
                    }
                    long wait = RetrySchedule.waitBefore(settings.writeRetryBackoff(), attempt);
                    if (wait >= deadline.millisLeft()) {
                        // Not counted as an error again: the run's own failure was (see failed).
                        engine.metrics().timeouts.increment();
                        throw new ConnectionException(engine.name(), "a write unit gave up after " + (attempt + 1)
                                + (attempt == 0 ? " run" : " runs") + ": its next retry would start after "
                                + EngineProperties.WRITE_DEADLINE + "=" + settings.writeDeadline() + " ms had passed ("
                                + (settings.writeRetries() - attempt) + " of " + EngineProperties.WRITE_RETRIES + "="
                                + settings.writeRetries() + " left); the last run: " + withoutName(e), e.resultCode(), e);
                    }
                    engine.metrics().retries.increment();
                    deadline.sleep(wait);
                }
            }
        } finally {
            engine.metrics().writeUnits.recordSince(started);
        }
    }

    private <T> T writeOnce(SqlWork<T> work, WriteDeadline deadline) {
        EngineSettings settings = engine.settings();
        long timeout = settings.connectionTimeout();
        long wait = Math.min(timeout, deadline.millisLeft());
        boolean entered;
        try {
            entered = wait > 0 && engine.gate().enter(wait, settings.writeQueue(), settings.bargeLimit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(new ConnectionException(engine.name(), "interrupted while waiting for the writer connection"));
        }
        if (!entered && wait < timeout) {
            throw failed(new ConnectionException(engine.name(), "a write unit gave up waiting for the writer connection: "
                    + EngineProperties.WRITE_DEADLINE + "=" + settings.writeDeadline() + " ms passed; "
                    + engine.gate().waiting() + " more writers are waiting. Some unit or transaction holds the writer"
                    + " too long, or another process holds the database's lock, or the deadline is too short."));
        }
        if (!entered) {
            throw failed(new ConnectionException(engine.name(), "a write unit waited " + timeout
                    + " ms (osgi.connection.timeout) for the writer connection; " + engine.gate().waiting()
                    + " more writers are waiting. Some unit or transaction holds the writer too long, or the timeout is too short."));
        }
        boolean holdingGate = true;
        try {
            PoolGeneration generation = engine.enter();
            String fault = generation.location().fault();
            if (fault != null) {
                // Reopening takes the engine's lifecycle lock, which a pool switch holds while it
                // waits for the gate: leave the gate first, then come back through it.
                generation.exit();
                engine.gate().exit();
                holdingGate = false;
                engine.reopenMovedFile(generation, fault); // throws while the file is gone
                return writeOnce(work, deadline);
            }
            try {
                if (generation.settings().readOnly()) {
                    throw failed(new ConnectionException(engine.name(), "the engine is read-only (readOnly=true): write units are refused",
                            SqlErrors.SQLITE_READONLY, null));
                }
                Connection c = connection(generation, true);
                UnitTransaction unit = new UnitTransaction(c, true, engine.name(), engine.statements(),
                        generation.statementCaches());
                current.set(unit);
                long busyTimeout = generation.settings().busyTimeout();
                boolean shortened = false;
                boolean clean = false;
                try {
                    shortened = shortenBusyTimeout(deadline, c, busyTimeout);
                    T result = transaction(unit, work);
                    clean = true;
                    return result;
                } finally {
                    current.remove();
                    unit.endStatements();
                    if (shortened && !WriteDeadline.restoreBusyTimeout(c, busyTimeout)) {
                        generation.evict(PoolGeneration.WRITER, c);
                    }
                    checkIn(generation, PoolGeneration.WRITER, c, clean);
                }
            } finally {
                generation.exit();
            }
        } finally {
            if (holdingGate) {
                engine.gate().exit();
            }
        }
    }

    private <T> T transaction(UnitTransaction unit, SqlWork<T> work) {
        Connection c = unit.connection;
        ListenerSet listeners = engine.listeners();
        try {
            execute(c, "BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw failed(SqlErrors.map(engine.name(), "beginning a write transaction", e, ""));
        }
        listeners.fire(EngineEvent.Type.BEGIN, "", null);
        T result;
        try {
            result = work.run(new UnitConnection(unit));
            if (unit.aborted != null) {
                throw failed(aborted(unit, "write unit"));
            }
            execute(c, "COMMIT");
        } catch (SQLException e) {
            EngineException mapped = unit.aborted != null ? aborted(unit, "write unit")
                    : SqlErrors.map(engine.name(), "write unit", e, "");
            rollback(c, mapped);
            throw failed(mapped);
        } catch (RuntimeException | Error e) {
            rollback(c, e);
            throw e;
        }
        engine.metrics().commits.increment();
        listeners.fire(EngineEvent.Type.COMMIT, "", null);
        return result;
    }

    /**
     * A write unit inside a write unit on the same thread runs under a savepoint: if it throws,
     * its own changes are undone and the exception goes on to the outer unit, which may catch it
     * and commit the rest, or let it roll everything back. If SQLite rolled the whole transaction
     * back instead, there is nothing left to undo or to commit: every enclosing unit fails.
     */
    private <T> T nestedWrite(UnitTransaction outer, SqlWork<T> work) {
        if (outer.aborted != null) {
            throw failed(aborted(outer, "nested write unit"));
        }
        Connection c = outer.connection;
        String savepoint = "unit" + (++outer.savepoints);
        try {
            execute(c, "SAVEPOINT " + savepoint);
            T result = work.run(new UnitConnection(outer));
            if (outer.aborted != null) {
                throw failed(aborted(outer, "nested write unit"));
            }
            execute(c, "RELEASE " + savepoint);
            return result;
        } catch (SQLException e) {
            outer.failed(e);
            undo(outer, savepoint);
            throw failed(outer.aborted != null ? aborted(outer, "nested write unit")
                    : SqlErrors.map(engine.name(), "nested write unit", e, ""));
        } catch (RuntimeException | Error e) {
            undo(outer, savepoint);
            throw e;
        } finally {
            outer.savepoints--;
        }
    }

    /** A read inside a read shares the outer read's snapshot. */
    private <T> T readInsideRead(UnitTransaction outer, SqlWork<T> work) {
        if (outer.aborted != null) {
            throw failed(aborted(outer, "read unit"));
        }
        try {
            return work.run(new UnitConnection(outer));
        } catch (SQLException e) {
            throw failed(outer.aborted != null ? aborted(outer, "read unit") : readFailure(e));
        }
    }

    /**
     * A read inside a write sees the write's uncommitted rows, and still must not write: the
     * writer is query-only while any read runs inside it, however deeply nested; the outermost
     * such read switches it on and off.
     */
    private <T> T readInsideWrite(UnitTransaction outer, SqlWork<T> work) {
        if (outer.aborted != null) {
            throw failed(aborted(outer, "read unit"));
        }
        Connection c = outer.connection;
        try {
            if (outer.reads == 0) {
                execute(c, "PRAGMA query_only=1");
            }
            outer.reads++;
            try {
                return work.run(new UnitConnection(outer));
            } finally {
                if (--outer.reads == 0) {
                    execute(c, "PRAGMA query_only=0");
                }
            }
        } catch (SQLException e) {
            throw failed(outer.aborted != null ? aborted(outer, "read unit") : readFailure(e));
        }
    }

    /**
     * The failure of a unit whose transaction SQLite rolled back by itself: the same kind of
     * exception and result code as the statement's own failure (a full disk stays a
     * {@link ConnectionException}), saying that nothing of the unit was committed.
     */
    private EngineException aborted(UnitTransaction unit, String what) {
        SQLException cause = unit.aborted;
        EngineException mapped = SqlErrors.map(engine.name(), what, cause, "");
        String message = mapped.getMessage().substring(("[" + engine.name() + "] ").length())
                + "; SQLite rolled back the whole transaction, so nothing of this unit or of the units around it is committed";
        return mapped instanceof ConnectionException
                ? new ConnectionException(engine.name(), message, mapped.resultCode(), cause)
                : new EngineException(engine.name(), message, mapped.resultCode(), cause);
    }

    private EngineException readFailure(SQLException e) {
        if ((SqlErrors.resultCode(e) & 0xff) == SqlErrors.SQLITE_READONLY && !engine.settings().readOnly()) {
            return new EngineException(engine.name(), "a read unit tried to write; run it with write(...) instead: "
                    + e.getMessage(), SqlErrors.resultCode(e), e);
        }
        return SqlErrors.map(engine.name(), "read unit", e, "");
    }

    private Connection connection(PoolGeneration generation, boolean writer) {
        try {
            Connection c = writer ? generation.writerConnection() : generation.readerConnection();
            ListenerSet listeners = engine.listeners();
            if (!listeners.isEmpty()) {
                listeners.fire(EngineEvent.Type.CHECKOUT, writer ? "writer" : "reader", null);
            }
            return c;
        } catch (SQLException e) {
            throw failed(SqlErrors.map(engine.name(), writer ? "checking out the writer" : "checking out a reader", e,
                    engine.poolSummary()));
        }
    }

    /**
     * Returns a unit's connection to its pool. After a failure SQLite is asked whether a
     * transaction is still open (a failed {@code BEGIN}, {@code COMMIT} or {@code ROLLBACK}); one
     * that cannot be rolled back is evicted, never handed to the next unit.
     */
    private void checkIn(PoolGeneration generation, String role, Connection c, boolean clean) {
        boolean evict = false;
        if (!clean && NativeExec.inTransaction(c)) {
            try {
                execute(c, "ROLLBACK");
            } catch (SQLException e) {
                evict = true;
            }
        }
        try {
            if (evict) {
                generation.evict(role, c);
            }
            c.close();
        } catch (SQLException e) {
            // HikariCP evicts a connection whose reset failed
        }
        ListenerSet listeners = engine.listeners();
        if (!listeners.isEmpty()) {
            listeners.fire(EngineEvent.Type.CHECKIN, "", null);
        }
    }

    private void rollback(Connection c, Throwable why) {
        try {
            execute(c, "ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY
            // during COMMIT); "no transaction is active" is then expected and harmless.
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                why.addSuppressed(e);
            }
        }
        engine.metrics().rollbacks.increment();
        engine.listeners().fire(EngineEvent.Type.ROLLBACK, String.valueOf(why.getMessage()), why);
    }

    private static void undo(UnitTransaction unit, String savepoint) {
        if (unit.aborted != null) {
            return; // the savepoint went with the whole transaction
        }
        try {
            execute(unit.connection, "ROLLBACK TO " + savepoint);
            execute(unit.connection, "RELEASE " + savepoint);
        } catch (SQLException e) {
            unit.failed(e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            execute(c, "ROLLBACK");
        } catch (SQLException e) {
            // no transaction was open; checkIn asks SQLite before the connection goes back
        }
    }

    private EngineException failed(EngineException e) {
        engine.metrics().failed(e);
        engine.listeners().fire(EngineEvent.Type.ERROR, e.getMessage(), e);
        return e;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        NativeExec.exec(c, sql);
    }

    private boolean shortenBusyTimeout(WriteDeadline deadline, Connection c, long busyTimeout) {
        try {
            return deadline.shortenBusyTimeout(c, busyTimeout);
        } catch (SQLException e) {
            throw failed(SqlErrors.map(engine.name(), "bounding busy_timeout by " + EngineProperties.WRITE_DEADLINE, e, ""));
        }
    }

    /** @return the exception's message without the {@code [engine] } prefix, to quote it in another */
    private String withoutName(EngineException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = "[" + engine.name() + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
