package dev.sqliteengine.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the failed operations of a trial failed with, by exception class and message, printed
 * when the trial ends (JMH shows the forked VM's output). Includes the failures of JMH's warm-up
 * iterations.
 */
final class ErrorLog {

    private static final int MAX_KINDS = 20;
    private static final Map<String, LongAdder> KINDS = new ConcurrentHashMap<>();

    private ErrorLog() {}

    static void note(Exception e) {
        String message = String.valueOf(e.getMessage());
        String key = e.getClass().getSimpleName() + ": "
                + (message.length() > 160 ? message.substring(0, 160) + "…" : message);
        if (KINDS.size() < MAX_KINDS || KINDS.containsKey(key)) {
            KINDS.computeIfAbsent(key, k -> new LongAdder()).increment();
        } else {
            KINDS.computeIfAbsent("(other kinds)", k -> new LongAdder()).increment();
        }
    }

    static void printAndClear(String trial) {
        if (KINDS.isEmpty()) {
            System.out.println("[" + trial + "] no failed operations");
        } else {
            new TreeMap<>(KINDS).forEach((kind, n) -> System.out.println("[" + trial + "] " + n.sum() + " × " + kind));
        }
        KINDS.clear();
    }
}
