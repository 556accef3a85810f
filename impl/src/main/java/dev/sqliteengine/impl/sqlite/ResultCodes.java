package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.ErrorCodes;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite's result codes, as the engine reads them: which are a {@link ConnectionException} (the
 * database could not be reached or used, often passing) and which an {@link EngineException}
 * (the statement or the data is wrong), and which failures of a write unit are worth a retry
 * (a lock held too long by another connection or process).
 */
public final class ResultCodes implements ErrorCodes {

    public static final int SQLITE_PERM = 3;
    public static final int SQLITE_BUSY = 5;
    public static final int SQLITE_LOCKED = 6;
    public static final int SQLITE_NOMEM = 7;
    public static final int SQLITE_READONLY = 8;
    public static final int SQLITE_IOERR = 10;
    public static final int SQLITE_CORRUPT = 11;
    public static final int SQLITE_FULL = 13;
    public static final int SQLITE_CANTOPEN = 14;
    public static final int SQLITE_PROTOCOL = 15;
    public static final int SQLITE_DONE = 101;
    public static final int SQLITE_CONSTRAINT = 19;
    public static final int SQLITE_NOTADB = 26;

    /** The name of failures without a result code (timeouts, refusals). */
    static final String NO_CODE = "NONE";

    /** @return SQLite's extended result code of the failure, or {@link EngineException#NO_RESULT_CODE} */
    public static int of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException se) {
                return se.getResultCode().code;
            }
            if (t instanceof EngineException ee && ee.resultCode() != EngineException.NO_RESULT_CODE) {
                return ee.resultCode();
            }
        }
        return EngineException.NO_RESULT_CODE;
    }

    @Override
    public int code(Throwable failure) {
        return of(failure);
    }

    @Override
    public int counted(EngineException failure) {
        return failure.resultCode();
    }

    /** @return false: a file that cannot be opened stays so until someone changes it, or the configuration */
    @Override
    public boolean mayPassByItself(EngineException failure) {
        return false;
    }

    /** @return the code's name as sqlite-jdbc knows it, or {@code SQLITE_<number>} when it does not */
    @Override
    public String name(int code) {
        if (code == EngineException.NO_RESULT_CODE) {
            return NO_CODE;
        }
        SQLiteErrorCode known = SQLiteErrorCode.getErrorCode(code);
        return known == SQLiteErrorCode.UNKNOWN_ERROR ? "SQLITE_" + code : known.name();
    }

    /** @return whether SQLite reported the database busy or locked: another connection held a lock too long */
    @Override
    public boolean isBusy(int code) {
        int primary = code & 0xff;
        return code != EngineException.NO_RESULT_CODE && (primary == SQLITE_BUSY || primary == SQLITE_LOCKED);
    }

    @Override
    public boolean isTransient(Throwable failure) {
        int primary = of(failure) & 0xff;
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    }

    @Override
    public boolean isReadOnlyViolation(int code) {
        return code != EngineException.NO_RESULT_CODE && (code & 0xff) == SQLITE_READONLY;
    }

    /** SQLite ends a transaction by itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY during COMMIT). */
    @Override
    public boolean isNoTransaction(SQLException e) {
        return String.valueOf(e.getMessage()).contains("no transaction is active");
    }

    @Override
    public int readOnlyCode() {
        return SQLITE_READONLY;
    }

    @Override
    public int unreachableCode() {
        return SQLITE_IOERR;
    }

    @Override
    public EngineException map(String engine, String doing, SQLException e, String pool) {
        return mapped(engine, doing, e, pool);
    }

    /** {@link #map} for the SQLite package's own use. */
    static EngineException mapped(String engine, String doing, SQLException e, String pool) {
        int code = of(e);
        int primary = code & 0xff;
        if (code == EngineException.NO_RESULT_CODE && e instanceof SQLTransientConnectionException) {
            // HikariCP's timeout: the message already says how long; add what the pools look like.
            return new ConnectionException(engine, doing + ": no connection became free in time (" + pool + "): "
                    + e.getMessage(), code, e);
        }
        String text = describe(primary);
        String message = doing + " failed" + (text.isEmpty() ? "" : " (" + text + ")") + ": " + e.getMessage();
        return switch (primary) {
            case SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL,
                    SQLITE_CANTOPEN, SQLITE_PROTOCOL, SQLITE_NOTADB, SQLITE_CORRUPT ->
                    new ConnectionException(engine, message, code, e);
            default -> new EngineException(engine, message, code, e);
        };
    }

    private static String describe(int primary) {
        return switch (primary) {
            case SQLITE_BUSY -> "the database stayed locked by another connection or process for longer than busy_timeout";
            case SQLITE_LOCKED -> "a table is locked";
            case SQLITE_READONLY -> "the database is read-only";
            case SQLITE_IOERR -> "disk I/O error";
            case SQLITE_FULL -> "the disk is full";
            case SQLITE_CANTOPEN -> "the database file, or a journal file next to it, cannot be opened or created;"
                    + " check that the file and its folder exist and are writable";
            case SQLITE_NOTADB -> "the file is not a database";
            case SQLITE_CORRUPT -> "the database file is corrupt";
            case SQLITE_NOMEM -> "out of memory";
            case SQLITE_CONSTRAINT -> "constraint violation";
            default -> "";
        };
    }
}
