package dev.sqliteengine.impl.figures;

import dev.sqliteengine.impl.database.ErrorCodes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failures by the database's own error code (SQLite's extended result code). A database has a few
 * hundred codes and an engine meets a handful, so a map that grows on the first failure of each
 * code; errors are not the hot path.
 */
public final class ErrorCounts {

    private final ErrorCodes codes;
    private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();

    ErrorCounts(ErrorCodes codes) {
        this.codes = codes;
    }

    void add(int code) {
        byCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** @return the counts by the code's name, for example {@code SQLITE_CONSTRAINT_UNIQUE}, sorted */
    public Map<String, Long> byName() {
        Map<String, Long> out = new TreeMap<>();
        byCode.forEach((code, n) -> out.merge(codes.name(code), n.sum(), Long::sum));
        return out;
    }
}
