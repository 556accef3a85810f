package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.SQLException;

/**
 * How a unit of work fails: every failure that leaves the engine is counted and is an
 * {@code ERROR} event ({@link #failed}), a unit whose transaction the database ended by itself
 * says that nothing of it was committed ({@link #aborted}), a write unit that waited for the
 * writer as long as it could says what ended the wait ({@link #waitedTooLong}), and a read unit
 * that tried to write is told to be a write unit ({@link #readFailure}).
 */
final class UnitFailures {

    private final EngineCore core;

    UnitFailures(EngineCore core) {
        this.core = core;
    }

    /** Counts a failure that leaves the engine, and tells the listeners; @return the failure, to throw */
    EngineException failed(EngineException e) {
        core.metrics().failed(e);
        core.listeners().fire(EngineEvent.Type.ERROR, e.getMessage(), e);
        return e;
    }

    /**
     * @param thrown the failure that ends the unit
     * @return whether the unit fails as one whose transaction the database ended or failed: SQLite
     *         ended it, or a statement after the failure met it failed (PostgreSQL). A unit that
     *         fails with the very failure that failed a transaction the database kept (PostgreSQL)
     *         fails with that failure, plainly.
     */
    boolean endedBy(UnitTransaction unit, SQLException thrown) {
        return unit.aborted != null && (unit.aborted != thrown || !core.transactions().inTransaction(unit.connection));
    }

    /**
     * The failure of a unit whose transaction the database ended or failed by itself: the same kind of
     * exception and result code as the statement's own failure (a full disk stays a
     * {@link ConnectionException}), saying that nothing of the unit was committed.
     */
    EngineException aborted(UnitTransaction unit, String what) {
        SQLException cause = unit.aborted;
        EngineException mapped = core.errors().map(core.name(), what, cause, "");
        String message = mapped.getMessage().substring(("[" + core.name() + "] ").length())
                + "; " + core.transactions().abortedBy()
                + " the whole transaction, so nothing of this unit or of the units around it is committed";
        return mapped instanceof ConnectionException
                ? new ConnectionException(core.name(), message, mapped.resultCode(), cause)
                : new EngineException(core.name(), message, mapped.resultCode(), cause);
    }

    /** A write unit interrupted while it waited for the writer; the flag is restored. @return the failure, counted */
    EngineException interruptedWaiting() {
        Thread.currentThread().interrupt();
        return failed(new ConnectionException(core.name(), "interrupted while waiting for the writer connection"));
    }

    /**
     * A write unit that waited for the writer (in the write units' queue or the writer queue) as
     * long as it could.
     *
     * @param wait how long it waited: the connection timeout, or less when its deadline was nearer
     * @return the failure, counted, naming what ended the wait
     */
    EngineException waitedTooLong(EngineSettings settings, long wait) {
        int waiting = core.units().waiting() + core.gate().waiting();
        if (wait < settings.connectionTimeout()) {
            return failed(new ConnectionException(core.name(), "a write unit gave up waiting for the writer connection: "
                    + EngineProperties.WRITE_DEADLINE + "=" + settings.writeDeadline() + " ms passed; "
                    + waiting + " more writers are waiting. Some unit or transaction holds the writer"
                    + " too long, or another process holds the database's lock, or the deadline is too short."));
        }
        return failed(new ConnectionException(core.name(), "a write unit waited " + settings.connectionTimeout()
                + " ms (osgi.connection.timeout) for the writer connection; " + waiting
                + " more writers are waiting. Some unit or transaction holds the writer too long, or the timeout is too short."));
    }

    EngineException readFailure(SQLException e) {
        int code = core.errors().code(e);
        if (core.errors().isReadOnlyViolation(code) && !core.settings().readOnly()) {
            return new EngineException(core.name(), "a read unit tried to write; run it with write(...) instead: "
                    + e.getMessage(), code, e);
        }
        return core.errors().map(core.name(), "read unit", e, "");
    }
}
