package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.EngineException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.sqlite.SQLiteErrorCode;

/**
 * Failures by SQLite's extended result code. SQLite has a few hundred codes and an engine meets a
 * handful, so a map that grows on the first failure of each code; errors are not the hot path.
 */
final class ErrorCounts {

    /** The key of failures without a result code (timeouts, refusals). */
    static final String NO_CODE = "NONE";

    private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();

    void add(int resultCode) {
        byCode.computeIfAbsent(resultCode, code -> new LongAdder()).increment();
    }

    /** @return the counts by name, for example {@code SQLITE_CONSTRAINT_UNIQUE}, sorted */
    Map<String, Long> byName() {
        Map<String, Long> out = new TreeMap<>();
        byCode.forEach((code, n) -> out.merge(name(code), n.sum(), Long::sum));
        return out;
    }

    /** @return the code's name as sqlite-jdbc knows it, or the number when it does not know it */
    static String name(int resultCode) {
        if (resultCode == EngineException.NO_RESULT_CODE) {
            return NO_CODE;
        }
        SQLiteErrorCode known = SQLiteErrorCode.getErrorCode(resultCode);
        return known == SQLiteErrorCode.UNKNOWN_ERROR ? "SQLITE_" + resultCode : known.name();
    }
}
