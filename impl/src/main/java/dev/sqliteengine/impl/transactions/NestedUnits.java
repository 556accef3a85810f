package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Units of work nested in another one on the same thread: they join the outer unit's transaction
 * and its connection, never the writer gate (which is not reentrant) nor a pool (which could
 * deadlock a small pool). A nested write runs under a savepoint; a read inside a read shares the
 * snapshot; a read inside a write makes the connection refuse writes while it runs. Confined to
 * the thread that runs the outer unit, like its {@link UnitTransaction}.
 */
final class NestedUnits {

    private final EngineCore core;
    private final UnitFailures failures;

    NestedUnits(EngineCore core, UnitFailures failures) {
        this.core = core;
        this.failures = failures;
    }

    /**
     * A write unit inside a write unit on the same thread runs under a savepoint: if it throws,
     * its own changes are undone and the exception goes on to the outer unit, which may catch it
     * and commit the rest, or let it roll everything back. If SQLite rolled the whole transaction
     * back instead, there is nothing left to undo or to commit: every enclosing unit fails. A
     * transaction PostgreSQL failed (it refuses every statement after a failed one) is still
     * there: the rollback to the savepoint makes it run statements again.
     */
    <T> T write(UnitTransaction outer, SqlWork<T> work) {
        if (outer.aborted != null) {
            throw failures.failed(failures.aborted(outer, "nested write unit"));
        }
        Connection c = outer.connection;
        String savepoint = "unit" + (++outer.savepoints);
        try {
            core.transactions().execute(c, "SAVEPOINT " + savepoint);
            T result = work.run(new UnitConnection(outer));
            if (outer.aborted != null) {
                throw failures.failed(failures.aborted(outer, "nested write unit"));
            }
            core.transactions().execute(c, "RELEASE " + savepoint);
            return result;
        } catch (SQLException e) {
            outer.failed(e);
            undo(outer, savepoint);
            throw failures.failed(failures.endedBy(outer, e) ? failures.aborted(outer, "nested write unit")
                    : core.errors().map(core.name(), "nested write unit", e, ""));
        } catch (RuntimeException | Error e) {
            undo(outer, savepoint);
            throw e;
        } finally {
            outer.savepoints--;
        }
    }

    /** A read inside a read shares the outer read's snapshot. */
    <T> T readInsideRead(UnitTransaction outer, SqlWork<T> work) {
        if (outer.aborted != null) {
            throw failures.failed(failures.aborted(outer, "read unit"));
        }
        try {
            return work.run(new UnitConnection(outer));
        } catch (SQLException e) {
            throw failures.failed(failures.endedBy(outer, e) ? failures.aborted(outer, "read unit") : failures.readFailure(e));
        }
    }

    /**
     * A read inside a write sees the write's uncommitted rows, and still must not write: the
     * writer refuses writes while any read runs inside it, however deeply nested; the outermost
     * such read switches that on and off ({@code beginNestedRead}, {@code endNestedRead}).
     */
    <T> T readInsideWrite(UnitTransaction outer, SqlWork<T> work) {
        if (outer.aborted != null) {
            throw failures.failed(failures.aborted(outer, "read unit"));
        }
        Connection c = outer.connection;
        try {
            if (outer.reads == 0) {
                core.transactions().beginNestedRead(c);
            }
            outer.reads++;
            try {
                return work.run(new UnitConnection(outer));
            } finally {
                if (--outer.reads == 0) {
                    core.transactions().endNestedRead(c);
                    outer.recovered(); // PostgreSQL: the end of the read undid a failure inside it
                }
            }
        } catch (SQLException e) {
            throw failures.failed(failures.endedBy(outer, e) ? failures.aborted(outer, "read unit") : failures.readFailure(e));
        }
    }

    private void undo(UnitTransaction unit, String savepoint) {
        if (unit.aborted != null && !core.transactions().inTransaction(unit.connection)) {
            return; // the savepoint went with the whole transaction
        }
        try {
            core.transactions().execute(unit.connection, "ROLLBACK TO " + savepoint);
            unit.recovered();
            core.transactions().execute(unit.connection, "RELEASE " + savepoint);
        } catch (SQLException e) {
            unit.failed(e);
        }
    }
}
