package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.jdbc.EngineConnection;
import dev.sqliteengine.impl.jdbc.SqlKind;
import dev.sqliteengine.impl.jdbc.StatementCache;
import dev.sqliteengine.impl.jdbc.StatementCaches;
import dev.sqliteengine.impl.jdbc.StatementLog;
import java.sql.SQLException;

/**
 * The connection a unit of work receives. The engine owns the unit's transaction: it begins
 * before the work runs and ends when the work returns (commit) or throws (rollback). So here
 * {@code commit()}, {@code rollback()}, {@code setAutoCommit(true)}, transaction control written
 * as SQL and the read-only switch ({@code PRAGMA query_only}, PostgreSQL's
 * {@code SET transaction_read_only} and the like) are refused with an {@link EngineException}, and
 * {@code close()} only closes this handle: the unit still ends normally. Savepoints
 * ({@code setSavepoint}, {@code SAVEPOINT}, {@code ROLLBACK TO}) nest inside the unit and are
 * allowed.
 * <p>
 * After any failed statement the database is asked whether the transaction can still run
 * statements; if it ended the transaction by itself (SQLite) or failed it (PostgreSQL), every
 * later statement of the unit (and of the units around it) is refused and the unit fails (see
 * {@link UnitTransaction}), unless the unit rolls back to a savepoint taken before the failure
 * and the database kept the transaction for it (PostgreSQL).
 */
public final class UnitConnection extends EngineConnection {

    private final UnitTransaction unit;

    UnitConnection(UnitTransaction unit) {
        super(unit.connection, unit.engine);
        this.unit = unit;
    }

    @Override
    protected StatementLog statements() {
        return unit.statements;
    }

    @Override
    protected StatementCache statementCache() throws SQLException {
        return unit.statementCache();
    }

    @Override
    protected StatementCaches statementCaches() {
        return unit.caches;
    }

    @Override
    protected TransactionControl transactions() {
        return unit.transactions;
    }

    @Override
    public void unwrapped() {
        super.unwrapped();
        unit.unwrapped = true;
    }

    @Override
    protected boolean beforeStatement(SqlKind kind) throws SQLException {
        checkOpen();
        if (unit.aborted != null && !(kind == SqlKind.ROLLBACK_TO && transactions().inTransaction(unit.connection))) {
            throw unit.abortedError();
        }
        if (kind.controlsTransaction()) {
            throw refused(switch (kind) {
                case COMMIT -> "COMMIT or END as SQL";
                case SCRIPT -> "a script that begins or ends transactions";
                default -> kind.name() + " as SQL";
            });
        }
        if (kind == SqlKind.QUERY_ONLY) {
            throw refused(transactions().readOnlySwitch());
        }
        return true;
    }

    @Override
    protected void afterStatement(SqlKind kind, SQLException failure) {
        if (failure != null) {
            unit.failed(failure);
        } else if (kind == SqlKind.ROLLBACK_TO) {
            unit.recovered();
        }
    }

    @Override
    protected void beforeSavepoint() throws SQLException {
        if (unit.aborted != null) {
            throw unit.abortedError();
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw refused("setAutoCommit(true)");
        }
    }

    /** @return false: nothing a unit runs is committed before the unit ends */
    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public void commit() {
        throw refused("commit()");
    }

    @Override
    public void rollback() {
        throw refused("rollback()");
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        if (readOnly != unit.readOnly()) {
            throw refused("setReadOnly(" + readOnly + ")");
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return unit.readOnly();
    }

    /** Closes this handle only; the unit's connection goes back to its pool when the unit ends. */
    @Override
    public void close() {
        closed = true;
    }

    private EngineException refused(String what) {
        return new EngineException(engine, what + " is refused inside a unit of work: the engine owns the unit's"
                + " transaction. Return from the work to commit it, throw to roll it back; use a savepoint to undo part"
                + " of it");
    }
}
