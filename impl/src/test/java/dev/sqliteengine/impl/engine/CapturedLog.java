package dev.sqliteengine.impl.engine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What slf4j-simple (the tests' binding, which writes to {@code System.err} as it is at each
 * line) logged while an action ran; the log is passed on to the real {@code System.err} too.
 */
public final class CapturedLog {

    /** An action that may throw anything. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private CapturedLog() {}

    public static String during(Action action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }
}
