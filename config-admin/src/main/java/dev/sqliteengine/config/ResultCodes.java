package dev.sqliteengine.config;

import dev.sqliteengine.api.EngineException;
import java.lang.reflect.Method;
import java.sql.SQLException;

/**
 * SQLite's extended result code of a failure, asked of the failure rather than read from its
 * text. JDBC's {@link SQLException#getErrorCode()} holds only the primary code with sqlite-jdbc
 * (10, {@code SQLITE_IOERR}, where SQLite said 778, {@code SQLITE_IOERR_WRITE}); the driver's
 * own exception keeps the extended code as {@code getResultCode()}, an enum with a {@code code}
 * field. This bundle does not import the driver's package, so that is read reflectively; an
 * {@link EngineException} on the way carries the code already.
 */
final class ResultCodes {

    private ResultCodes() {}

    /** The extended code and, when the driver knows it, its name. */
    record Code(int code, String name) {

        /** @return for example {@code SQLITE_IOERR_WRITE, 778}, or {@code 778} without a name */
        @Override
        public String toString() {
            return name == null ? String.valueOf(code) : name + ", " + code;
        }
    }

    /** @return the failure's extended result code, or {@link EngineException#NO_RESULT_CODE} without a name */
    static Code of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EngineException e && e.resultCode() != EngineException.NO_RESULT_CODE) {
                return new Code(e.resultCode(), null);
            }
            Code driver = driverCode(t);
            if (driver != null) {
                return driver;
            }
        }
        if (failure instanceof SQLException e && e.getErrorCode() != 0) {
            return new Code(e.getErrorCode(), null);
        }
        return new Code(EngineException.NO_RESULT_CODE, null);
    }

    private static Code driverCode(Throwable t) {
        try {
            Method getter = t.getClass().getMethod("getResultCode");
            Object resultCode = getter.invoke(t);
            if (resultCode == null) {
                return null;
            }
            int code = resultCode.getClass().getField("code").getInt(resultCode);
            return new Code(code, resultCode instanceof Enum<?> e ? e.name() : null);
        } catch (ReflectiveOperationException | RuntimeException notTheDriversException) {
            return null;
        }
    }
}
