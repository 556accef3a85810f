package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.SqlWork;
import java.sql.SQLException;

/**
 * The work of one top-level write unit on an open {@link WriterTransaction}: its
 * {@link UnitTransaction} is the thread's current one while it runs (so nested units find it),
 * its statements end with it, and its failure is not thrown at once but kept as a
 * {@link Failed}, which the caller throws once the transaction is in order again (undone to the
 * unit's savepoint, rolled back, or handed on).
 */
final class UnitWork {

    /** A unit's own failure: what to throw, once the transaction is in order again. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        /** Whether it is the engine's mapping of an SQL failure, not yet counted; else the work's own exception. */
        private final boolean uncounted;

        /** @param mapped the engine's mapping of a failure of the database, not yet counted */
        Failed(EngineException mapped) {
            this(mapped, true);
        }

        private Failed(Throwable cause, boolean uncounted) {
            super(null, cause, false, false);
            this.uncounted = uncounted;
        }

        /** @return the exception to throw (counted, if it is the engine's); an {@link Error} is thrown at once */
        RuntimeException rethrow(UnitFailures failures) {
            Throwable t = getCause();
            if (t instanceof Error e) {
                throw e;
            }
            if (uncounted) {
                return failures.failed((EngineException) t);
            }
            return (RuntimeException) t;
        }
    }

    private final EngineCore core;
    private final UnitFailures failures;
    private final ThreadLocal<UnitTransaction> current;

    UnitWork(EngineCore core, UnitFailures failures, ThreadLocal<UnitTransaction> current) {
        this.core = core;
        this.failures = failures;
        this.current = current;
    }

    /**
     * Runs the work on the transaction's connection.
     *
     * @throws Failed when the work threw, or the database failed it: mapped as a plain unit's
     *         failure, or as one whose transaction the database ended or failed
     */
    <T> T run(WriterTransaction tx, SqlWork<T> work) throws Failed {
        UnitTransaction unit = new UnitTransaction(tx.connection(), core.transactions(), true, core.name(),
                core.statements(), tx.generation().statementCaches());
        current.set(unit);
        try {
            T result = work.run(new UnitConnection(unit));
            if (unit.aborted != null) {
                throw new Failed(failures.aborted(unit, "write unit"));
            }
            return result;
        } catch (SQLException e) {
            throw new Failed(failures.endedBy(unit, e) ? failures.aborted(unit, "write unit")
                    : core.errors().map(core.name(), "write unit", e, ""));
        } catch (RuntimeException | Error e) {
            throw new Failed(e, false);
        } finally {
            current.remove();
            unit.endStatements();
        }
    }
}
