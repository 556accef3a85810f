package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.figures.EngineMetrics;
import dev.sqliteengine.impl.jdbc.EngineConnection;
import dev.sqliteengine.impl.jdbc.SqlKind;
import dev.sqliteengine.impl.jdbc.StatementCache;
import dev.sqliteengine.impl.jdbc.StatementCaches;
import dev.sqliteengine.impl.jdbc.StatementLog;
import dev.sqliteengine.impl.pool.PoolGeneration;
import dev.sqliteengine.impl.replicas.ReplicaLease;
import dev.sqliteengine.impl.writer.WriterQueue;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection from {@code Engine.connect()} or the engine's {@code DataSource}: the caller owns
 * its transactions, under the same rules as units of work. The driver's connection always stays
 * in auto-commit mode; the JDBC auto-commit and read-only flags are this object's, and the
 * transactions they ask for are begun here, as SQL:
 * <ul>
 * <li><b>Lazy begin.</b> With auto-commit off, the transaction begins at the first statement,
 * not at {@code setAutoCommit(false)}, {@code commit()} or {@code rollback()}: an idle
 * connection holds no lock and no read snapshot.</li>
 * <li><b>One writer queue.</b> A transaction that may write enters the engine's
 * {@link WriterQueue} before its {@code BEGIN IMMEDIATE} and leaves it after its
 * {@code COMMIT}/{@code ROLLBACK} (or at close), like a write unit; an auto-commit statement that
 * may write ({@link SqlKind#WRITE}) holds the gate while it runs. The wait is bounded by
 * {@code osgi.connection.timeout}. So the engine's own connections never meet SQLITE_BUSY from
 * each other.</li>
 * <li><b>Read-only.</b> {@code setReadOnly(true)} sets {@code PRAGMA query_only}; its
 * transactions begin DEFERRED and never take the gate. Where the engine has streaming replicas and
 * one may serve a read ({@code ReadRouter}), it moves the connection there instead, and
 * {@code setReadOnly(false)} moves it back: the connection it leaves goes back to its pool, which
 * closes the statements made on it.</li>
 * <li><b>Aborted.</b> When the database ends a transaction by itself after an error (SQLite), or
 * fails it (PostgreSQL), every later statement is refused until {@code rollback()} (and
 * {@code commit()} reports the rollback), so nothing after the failure commits on its own. Where
 * the database keeps the failed transaction (PostgreSQL), a rollback to a savepoint taken before
 * the failure lets it go on.</li>
 * <li><b>Check-in.</b> {@link #close()} rolls back what is open (asking SQLite, not trusting the
 * flags), restores writing, leaves the gate, and only then returns the connection to its pool.
 * A connection that cannot be rolled back is evicted instead.</li>
 * </ul>
 * Invariant (checked by {@link #invariant()} with {@code -ea}): the gate is held exactly in the
 * states {@link State#WRITE_STATEMENT} and {@link State#WRITE_TRANSACTION}, and in
 * {@link State#ABORTED} when the aborted transaction had it; on a replica, the connection is
 * read-only and never holds the gate. Like any JDBC connection, one
 * thread uses it at a time.
 * <p>
 * Why one long class: it is a JDBC wrapper whose methods ({@code setAutoCommit}, {@code commit},
 * {@code rollback}, {@code setReadOnly}, {@code close}) are the transitions of its state machine;
 * split from them, the state and its invariant would be guarded in two places.
 */
public final class ClientConnection extends EngineConnection {

    private enum State {
        /** SQLite is in auto-commit mode; the gate is free. */
        IDLE,
        /** An auto-commit statement that may write is running; the gate is held for it. */
        WRITE_STATEMENT,
        /** A read-only transaction is open; no gate. */
        READ_TRANSACTION,
        /** A transaction that may write is open; the gate is held. */
        WRITE_TRANSACTION,
        /**
         * The database ended or failed the transaction after an error; waiting for rollback,
         * commit or close (or, where the database kept it, a rollback to a savepoint).
         */
        ABORTED
    }

    private final PoolGeneration generation;
    private final SharedWriter writer;
    /** When it was checked out, if this checkout is timed (see {@link EngineMetrics#CLIENT_SAMPLE}); else 0. */
    private final long checkedOut;
    /** The physical connection's statement cache, found at the first prepare; null before, or when off. */
    private StatementCache cache;

    private State state = State.IDLE;
    /**
     * The thread that entered the writer queue for this connection while it holds a place there,
     * or the replica that {@link #delegate} belongs to while the connection reads there; else
     * null. Never both: a connection on a replica is read-only and takes no place in the writer
     * queue ({@link #invariant}). One field for the two keeps a checkout's allocation at 64
     * bytes beyond HikariCP's (BENCHMARKS.md, issue 21): read it through {@link #gateEntrant()}
     * and {@link #replica()}.
     */
    private Object holder;
    private SQLException abortCause;
    private boolean autoCommit = true;
    /**
     * Whether {@code setReadOnly(true)} is in effect: this connection set {@code query_only}, or
     * moved to a replica; the engine's own read-only mode is not.
     */
    private boolean readOnly;

    /**
     * @param delegate HikariCP's connection from the generation's data source pool
     * @param generation the generation it came from: its pool, and its settings when they are needed
     */
    ClientConnection(Connection delegate, PoolGeneration generation, SharedWriter writer, long checkedOut) {
        super(delegate, writer.engine);
        this.generation = generation;
        this.writer = writer;
        this.checkedOut = checkedOut;
    }

    @Override
    public StatementCache statementCache() throws SQLException {
        if (cache == null) {
            cache = generation.statementCaches().of(delegate);
        }
        return cache;
    }

    @Override
    protected StatementCaches statementCaches() {
        return generation.statementCaches();
    }

    @Override
    protected StatementLog statements() {
        return writer.statements;
    }

    @Override
    protected TransactionControl transactions() {
        return generation.type().transactions();
    }

    @Override
    protected boolean beforeStatement(SqlKind kind) throws SQLException {
        checkOpen();
        if (kind == SqlKind.QUERY_ONLY) {
            throw new SQLException("[" + engine + "] " + transactions().readOnlySwitch() + " is the engine's; use Connection.setReadOnly");
        }
        switch (state) {
            case ABORTED -> {
                if (kind == SqlKind.ROLLBACK) {
                    rollback();
                    return false;
                }
                if (kind == SqlKind.ROLLBACK_TO && transactions().inTransaction(delegate)) {
                    return true; // the database kept the failed transaction: back to a savepoint
                }
                throw abortedError();
            }
            case IDLE -> {
                return autoCommit ? beforeAutoCommitStatement(kind) : beforeFirstStatement(kind);
            }
            case READ_TRANSACTION, WRITE_TRANSACTION -> {
                if (autoCommit) {
                    return true; // a transaction begun as SQL: its COMMIT runs as SQL, then is checked
                }
                return transactionControl(kind);
            }
            default -> throw new IllegalStateException("[" + engine + "] a statement started while another ran: " + state);
        }
    }

    private boolean beforeAutoCommitStatement(SqlKind kind) throws SQLException {
        switch (kind) {
            case BEGIN, SAVEPOINT, SCRIPT -> {
                // Begun as SQL: ours until SQLite says it ended (see afterStatement).
                if (isReadOnly()) {
                    state = State.READ_TRANSACTION;
                } else {
                    enterGate();
                    state = State.WRITE_TRANSACTION;
                }
            }
            case WRITE -> {
                if (!isReadOnly()) {
                    enterGate();
                    state = State.WRITE_STATEMENT;
                }
            }
            default -> {
                // reads, and transaction control with nothing open (SQLite reports that itself)
            }
        }
        assert invariant();
        return true;
    }

    /** Auto-commit is off and nothing is open: this statement begins the transaction. */
    private boolean beforeFirstStatement(SqlKind kind) throws SQLException {
        if (kind == SqlKind.COMMIT || kind == SqlKind.ROLLBACK) {
            return false; // nothing was begun, so there is nothing to end
        }
        if (kind == SqlKind.BEGIN || kind == SqlKind.SCRIPT) {
            throw refusedBegin();
        }
        if (isReadOnly()) {
            transactions().beginRead(delegate);
            state = State.READ_TRANSACTION;
        } else {
            enterGate();
            try {
                transactions().beginWrite(delegate);
            } catch (SQLException e) {
                leaveGate();
                throw e;
            }
            state = State.WRITE_TRANSACTION;
        }
        assert invariant();
        return true;
    }

    /** Auto-commit is off and a transaction is open: SQL transaction control means the JDBC calls. */
    private boolean transactionControl(SqlKind kind) throws SQLException {
        switch (kind) {
            case COMMIT -> commit();
            case ROLLBACK -> rollback();
            case BEGIN, SCRIPT -> throw refusedBegin();
            default -> {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void afterStatement(SqlKind kind, SQLException failure) {
        if (failure != null) {
            touched = true;
            writer.statementFailed(failure);
            ReplicaLease replica = replica();
            if (replica != null) {
                replica.cannotServe(failure); // the next reads go to another replica or the primary
            }
        }
        switch (state) {
            case WRITE_STATEMENT -> {
                // The statement's own implicit transaction is over, committed or not.
                state = State.IDLE;
                leaveGate();
                if (failure == null) {
                    committed();
                }
            }
            case READ_TRANSACTION, WRITE_TRANSACTION -> {
                if (autoCommit) {
                    if (failure != null || kind.mayEndTransaction()) {
                        endIfSqliteDid();
                    }
                } else if (failure != null && transactions().aborted(delegate)) {
                    state = State.ABORTED;
                    abortCause = failure;
                }
            }
            case ABORTED -> {
                if (failure == null && kind == SqlKind.ROLLBACK_TO && !transactions().aborted(delegate)) {
                    // Back to a savepoint before the failure: the transaction goes on, with the gate it had.
                    state = gateEntrant() != null ? State.WRITE_TRANSACTION : State.READ_TRANSACTION;
                    abortCause = null;
                }
            }
            default -> {
                // nothing open
            }
        }
        assert invariant();
    }

    @Override
    protected void beforeSavepoint() throws SQLException {
        if (autoCommit) {
            throw new SQLException("[" + engine + "] setSavepoint needs a transaction: call setAutoCommit(false) first");
        }
        if (state == State.IDLE) {
            beforeFirstStatement(SqlKind.SAVEPOINT);
        } else if (state == State.ABORTED) {
            throw abortedError();
        }
    }

    private void endIfSqliteDid() {
        if (!transactions().inTransaction(delegate)) {
            boolean wrote = state == State.WRITE_TRANSACTION;
            state = State.IDLE;
            leaveGate();
            if (wrote) {
                committed(); // or rolled back: asking costs a position, never a read that misses a commit
            }
        }
    }

    /** A write committed on the primary: reads that must see it learn where it is. */
    private void committed() {
        writer.reads.committed(delegate, generation.replicas(), generation.settings().replicas());
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit == this.autoCommit) {
            return;
        }
        if (autoCommit && state != State.IDLE) {
            try {
                commit(); // as JDBC asks: switching auto-commit on commits the open transaction
            } finally {
                this.autoCommit = true;
            }
        }
        // Switching it off begins nothing; an open transaction begun as SQL goes on as this one.
        this.autoCommit = autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (autoCommit && state == State.IDLE) {
            throw new SQLException("[" + engine + "] commit() with auto-commit on: there is no transaction to commit");
        }
        switch (state) {
            case ABORTED -> {
                SQLException cause = abortCause;
                rollbackIfStillOpen(cause);
                end();
                throw new SQLException("[" + engine + "] " + transactions().abortedBy() + " the transaction after an"
                        + " error inside it (" + cause.getMessage() + "); nothing of it was committed", "40000", cause);
            }
            case READ_TRANSACTION, WRITE_TRANSACTION -> {
                boolean wrote = state == State.WRITE_TRANSACTION;
                try {
                    transactions().commit(delegate);
                } catch (SQLException e) {
                    // SQLite keeps a transaction whose COMMIT failed (SQLITE_BUSY); JDBC callers roll
                    // back after a failed commit, so end it here rather than hold the writer.
                    rollbackQuietly(e);
                    end();
                    throw new SQLException("[" + engine + "] COMMIT failed and the transaction was rolled back: "
                            + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                }
                end();
                if (wrote) {
                    committed();
                }
            }
            default -> {
                // nothing was begun yet (lazy begin)
            }
        }
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (autoCommit && state == State.IDLE) {
            throw new SQLException("[" + engine + "] rollback() with auto-commit on: there is no transaction to roll back");
        }
        switch (state) {
            case ABORTED -> {
                rollbackIfStillOpen(abortCause);
                end();
            }
            case READ_TRANSACTION, WRITE_TRANSACTION -> {
                try {
                    transactions().rollback(delegate);
                } catch (SQLException e) {
                    if (transactions().inTransaction(delegate)) {
                        touched = true;
                        throw e; // still open: close() evicts the connection
                    }
                }
                end();
            }
            default -> {
                // nothing was begun yet
            }
        }
    }

    /**
     * Read-only: on a replica that may serve a read if there is one (the connection moves there),
     * else by the database's own means; a read-only engine makes every transaction read-only
     * already, so there it only moves to a replica. A connection that ran SQL past the wrappers or
     * saw a failure ({@link #touched}) stays where it is.
     */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        boolean engineReadOnly = generation.settings().readOnly();
        if (readOnly == this.readOnly || engineReadOnly && state != State.IDLE) {
            return;
        }
        if (state != State.IDLE) {
            throw new SQLException("[" + engine + "] setReadOnly(" + readOnly + ") inside a transaction; commit or roll back first");
        }
        if (readOnly) {
            ReplicaLease lease = touched ? null : writer.reads.lease(generation.replicas(), generation.settings().replicas());
            if (lease != null) {
                moveTo(lease);
            } else if (engineReadOnly) {
                return;
            } else {
                transactions().queryOnly(delegate, true);
            }
        } else if (replica() != null) {
            leaveReplica();
        } else {
            transactions().queryOnly(delegate, false);
        }
        this.readOnly = readOnly;
        assert invariant();
    }

    /** Reads on the replica from now on; the primary's connection goes back to its pool, idle. */
    private void moveTo(ReplicaLease lease) {
        Connection primary = delegate;
        reclaimStatements();
        delegate = lease.connection();
        assert holder == null : "a connection that holds a place in the writer queue moves to a replica";
        holder = lease;
        giveBack(primary);
    }

    /**
     * Back on the primary, with a connection of the data source's pool; should none be had, the
     * connection stays on the replica and this throws.
     */
    private void leaveReplica() throws SQLException {
        Connection primary = generation.dataSource().getConnection();
        Connection onReplica = delegate;
        reclaimStatements();
        delegate = primary;
        holder = null;
        giveBack(onReplica);
    }

    /** Returns a connection this one left, with nothing open on it, to its pool. */
    private static void giveBack(Connection left) {
        try {
            left.close();
        } catch (SQLException e) {
            // HikariCP evicts a connection it cannot take back
        }
    }

    /** The cached statements lent on the connection this one leaves go back to its cache, closed for their holders. */
    private void reclaimStatements() {
        if (cache != null) {
            cache.reclaimAll();
            cache = null;
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly || generation.settings().readOnly();
    }

    /**
     * Returns the connection to its pool with no transaction, no lock and writing restored; the
     * gate is left only after the rollback, so the next writer finds SQLite's lock free.
     */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        if (cache != null) {
            // First: a lent statement still stepping holds a read open (see StatementCache).
            cache.reclaimAll();
        }
        if (state == State.IDLE && !touched && !readOnly) {
            // The common check-in: the books are exact and say nothing is open or changed.
            assert holder == null;
            closed = true;
            delegate.close();
            writer.checkedIn(checkedOut);
            return;
        }
        closeAfterUse();
    }

    /** The check-in of a connection whose books say something is open or was changed: kept apart, so close() inlines. */
    private void closeAfterUse() throws SQLException {
        boolean evict = false;
        if (unwrappedDriver) {
            schemaChanged(); // the driver's connection may have run DDL past our statements
        }
        ReplicaLease replica = replica();
        try {
            if (state == State.READ_TRANSACTION || state == State.WRITE_TRANSACTION
                    || (touched || state == State.ABORTED) && transactions().inTransaction(delegate)) {
                try {
                    transactions().rollback(delegate);
                } catch (SQLException e) {
                    evict = transactions().inTransaction(delegate);
                }
            }
            if (readOnly && replica == null) {
                try {
                    transactions().queryOnly(delegate, false);
                } catch (SQLException e) {
                    evict = true;
                }
            }
        } finally {
            closed = true;
            state = State.IDLE;
            try {
                if (evict && replica != null) {
                    replica.evict();
                } else if (evict) {
                    // Out of the pool before the next writer is let in: it must never be handed on.
                    generation.evict(PoolGeneration.DATA_SOURCE, delegate);
                }
            } finally {
                leaveGate();
                delegate.close();
                writer.checkedIn(checkedOut);
            }
        }
    }

    private void enterGate() throws SQLException {
        writer.enter(generation.settings());
        assert holder == null : "a connection on a replica enters the writer queue";
        holder = Thread.currentThread();
    }

    /** Leaves the writer queue, from whichever thread ends the transaction. */
    private void leaveGate() {
        Thread entrant = gateEntrant();
        if (entrant != null) {
            holder = null;
            writer.leave(entrant);
        }
    }

    /** Ends the transaction in this object's books; SQLite's side was ended by the caller. */
    private void end() {
        state = State.IDLE;
        abortCause = null;
        leaveGate();
        assert invariant();
    }

    /** A failed transaction the database kept (PostgreSQL) is rolled back; one it ended (SQLite) is gone already. */
    private void rollbackIfStillOpen(SQLException why) {
        if (transactions().inTransaction(delegate)) {
            rollbackQuietly(why);
        }
    }

    private void rollbackQuietly(SQLException why) {
        try {
            transactions().rollback(delegate);
        } catch (SQLException e) {
            if (transactions().inTransaction(delegate)) {
                touched = true;
                why.addSuppressed(e);
            }
        }
    }

    private SQLException abortedError() {
        return new SQLException("[" + engine + "] " + transactions().abortedBy() + " this transaction after an error"
                + " inside it (" + abortCause.getMessage() + "); call rollback() before the next statement", "40000",
                abortCause);
    }

    private SQLException refusedBegin() {
        return new SQLException("[" + engine + "] BEGIN, or a script that begins or ends transactions, with auto-commit"
                + " off: the transaction begins by itself at the first statement and ends with commit() or rollback()",
                "25000");
    }

    /** @return the thread that holds this connection's place in the writer queue, or null */
    private Thread gateEntrant() {
        return holder instanceof Thread entrant ? entrant : null;
    }

    /** @return the replica this connection reads on, or null */
    private ReplicaLease replica() {
        return holder instanceof ReplicaLease lease ? lease : null;
    }

    private boolean invariant() {
        ReplicaLease replica = replica();
        if (replica != null && (!readOnly || delegate != replica.connection())) {
            return false;
        }
        return switch (state) {
            case IDLE, READ_TRANSACTION -> gateEntrant() == null;
            case WRITE_STATEMENT, WRITE_TRANSACTION -> gateEntrant() != null;
            case ABORTED -> true;
        };
    }
}
