package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.database.ErrorCodes;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.postgresql.util.PSQLException;

/**
 * PostgreSQL's SQLSTATEs, as the engine reads them. A {@link ConnectionException} is what is
 * about reaching and using the server: connection failures (class {@code 08}), a refused login
 * (class {@code 28}), a server out of resources (class {@code 53}), shutting down or starting
 * ({@code 57P01} to {@code 57P03}), a lock not granted within {@code lockTimeout}
 * ({@code 55P03}) and a write where only reading is allowed ({@code 25006}, as SQLite's
 * read-only). Everything else (constraints, syntax, data) is an {@link EngineException}. A write
 * unit that failed with a serialization failure ({@code 40001}), a deadlock ({@code 40P01}) or a
 * lock wait past {@code lockTimeout} runs again.
 * <p>
 * The seam's codes are ints; a SQLSTATE (five characters of {@code 0-9A-Z}) is one in base 36,
 * so that the figures count failures by SQLSTATE and name them by it ({@code 23505}).
 */
final class SqlStates implements ErrorCodes {

    static final String SERIALIZATION_FAILURE = "40001";
    static final String DEADLOCK = "40P01";
    static final String LOCK_NOT_AVAILABLE = "55P03";
    static final String READ_ONLY_TRANSACTION = "25006";
    static final String CONNECTION_FAILURE = "08006";

    private static final Set<String> TRANSIENT = Set.of(SERIALIZATION_FAILURE, DEADLOCK, LOCK_NOT_AVAILABLE);
    /** Besides the classes 08, 28 and 53. */
    private static final Set<String> CONNECTION = Set.of("57P01", "57P02", "57P03", LOCK_NOT_AVAILABLE,
            READ_ONLY_TRANSACTION);
    /** What may pass by itself when opening fails, besides the classes 08, 28 and 53. */
    private static final Set<String> PASSING = Set.of("57P01", "57P02", "57P03", "3D000");
    private static final String NO_CODE = "NONE";

    /** @return the SQLSTATE of the failure or its first cause that has one, or null */
    static String of(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 100; t = t.getCause(), depth++) {
            if (t instanceof SQLException e && isState(e.getSQLState())) {
                return e.getSQLState();
            }
        }
        return null;
    }

    @Override
    public int code(Throwable failure) {
        return pack(of(failure));
    }

    @Override
    public int counted(EngineException failure) {
        return pack(of(failure));
    }

    @Override
    public String name(int code) {
        return code == EngineException.NO_RESULT_CODE ? NO_CODE : unpack(code);
    }

    @Override
    public boolean isBusy(int code) {
        return code == pack(LOCK_NOT_AVAILABLE);
    }

    @Override
    public boolean isTransient(Throwable failure) {
        String state = of(failure);
        return state != null && TRANSIENT.contains(state);
    }

    @Override
    public boolean isReadOnlyViolation(int code) {
        return code == pack(READ_ONLY_TRANSACTION);
    }

    /**
     * A {@code ROLLBACK} with no transaction open is only a warning on PostgreSQL; as an error it
     * would be SQLSTATE {@code 25P01} (no active SQL transaction).
     */
    @Override
    public boolean isNoTransaction(SQLException e) {
        return "25P01".equals(of(e));
    }

    @Override
    public int readOnlyCode() {
        return pack(READ_ONLY_TRANSACTION);
    }

    @Override
    public int unreachableCode() {
        return pack(CONNECTION_FAILURE);
    }

    @Override
    public boolean mayPassByItself(EngineException failure) {
        String state = of(failure);
        return state != null && (isConnectionClass(state) || PASSING.contains(state));
    }

    @Override
    public EngineException map(String engine, String doing, SQLException e, String pool) {
        String state = of(e);
        if (e instanceof SQLTransientConnectionException && !(e instanceof PSQLException)) {
            // HikariCP's timeout: it says how long; add what the pools look like, and why the last connection failed.
            return new ConnectionException(engine, doing + ": no connection became free in time (" + pool + "): "
                    + e.getMessage() + (e.getCause() == null ? "" : "; the last attempt to connect: " + e.getCause().getMessage()),
                    EngineException.NO_RESULT_CODE, e);
        }
        String message = doing + " failed" + (state == null ? "" : " (SQLSTATE " + state + describe(state) + ")") + ": "
                + e.getMessage();
        return state != null && (isConnectionClass(state) || CONNECTION.contains(state))
                ? new ConnectionException(engine, message, EngineException.NO_RESULT_CODE, e)
                : new EngineException(engine, message, EngineException.NO_RESULT_CODE, e);
    }

    private static boolean isConnectionClass(String state) {
        return state.startsWith("08") || state.startsWith("28") || state.startsWith("53");
    }

    /** @return what the SQLSTATE means, after a comma, for the ones people meet; empty for the rest */
    private static String describe(String state) {
        String text = switch (state) {
            case SERIALIZATION_FAILURE -> "serialization failure: a concurrent transaction changed what this one read";
            case DEADLOCK -> "deadlock detected";
            case LOCK_NOT_AVAILABLE -> "a lock was not granted within lockTimeout";
            case READ_ONLY_TRANSACTION -> "a read-only transaction tried to write";
            case "25P02" -> "the transaction failed earlier";
            case "23505" -> "unique violation";
            case "23503" -> "foreign key violation";
            case "23502" -> "not-null violation";
            case "23514" -> "check violation";
            case "42601" -> "syntax error";
            case "42P01" -> "no such table";
            case "42703" -> "no such column";
            case "3D000" -> "the database does not exist";
            case "57P01" -> "the server is shutting down";
            case "57P02" -> "the server shut down after a crash";
            case "57P03" -> "the server does not accept connections yet";
            case "57014" -> "the statement was cancelled";
            default -> switch (state.substring(0, 2)) {
                case "08" -> "the server could not be reached, or the connection to it broke";
                case "28" -> "the server refused the login: check user and password";
                case "53" -> "the server ran out of a resource (connections, memory, disk)";
                case "23" -> "constraint violation";
                case "42" -> "syntax error or access rule violation";
                default -> "";
            };
        };
        return text.isEmpty() ? "" : ", " + text;
    }

    private static boolean isState(String state) {
        if (state == null || state.length() != 5) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            if (Character.digit(state.charAt(i), 36) < 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the SQLSTATE as a number in base 36 (below 36^5, so positive), or the seam's "no code" */
    static int pack(String state) {
        if (!isState(state)) {
            return EngineException.NO_RESULT_CODE;
        }
        int code = 0;
        for (int i = 0; i < 5; i++) {
            code = code * 36 + Character.digit(state.charAt(i), 36);
        }
        return code;
    }

    static String unpack(int code) {
        char[] state = new char[5];
        int rest = code;
        for (int i = 4; i >= 0; i--) {
            state[i] = Character.toUpperCase(Character.forDigit(rest % 36, 36));
            rest /= 36;
        }
        return new String(state);
    }
}
