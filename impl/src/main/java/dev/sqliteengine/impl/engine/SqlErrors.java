package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.sqlite.SQLiteException;

/**
 * Maps driver and pool failures to the API's exceptions, keeping SQLite's result code.
 * Which SQLite codes are a {@link ConnectionException} (the database could not be reached or
 * used, often passing) and which are an {@link EngineException} (the statement or the data is
 * wrong) is decided here and only here.
 */
final class SqlErrors {

    static final int SQLITE_PERM = 3;
    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_NOMEM = 7;
    static final int SQLITE_READONLY = 8;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_PROTOCOL = 15;
    static final int SQLITE_DONE = 101;
    static final int SQLITE_CONSTRAINT = 19;
    static final int SQLITE_NOTADB = 26;

    private SqlErrors() {}

    /** @return SQLite's extended result code of the failure, or {@link EngineException#NO_RESULT_CODE} */
    static int resultCode(Throwable failure) {
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

    /** @return the failure's message without the {@code [engine] } prefix, to quote it inside another one */
    static String withoutPrefix(String engine, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        String prefix = "[" + engine + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** @return whether SQLite reported the database busy or locked: another connection held a lock too long */
    static boolean isBusy(int resultCode) {
        int primary = resultCode & 0xff;
        return resultCode != EngineException.NO_RESULT_CODE && (primary == SQLITE_BUSY || primary == SQLITE_LOCKED);
    }

    /** @return whether a whole unit that failed this way may succeed when run again */
    static boolean isTransient(Throwable failure) {
        int primary = resultCode(failure) & 0xff;
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    }

    /**
     * @param engine the engine's name
     * @param doing what was being done, for example {@code "write unit"}
     * @param e the failure
     * @param pool the pool figures at the time, for timeouts (may be empty)
     * @return the exception to throw
     */
    static EngineException map(String engine, String doing, SQLException e, String pool) {
        int code = resultCode(e);
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
