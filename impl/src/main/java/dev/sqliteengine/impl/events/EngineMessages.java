package dev.sqliteengine.impl.events;

/**
 * The engine's messages begin with {@code [name] }, as every exception and log line does; one
 * message quoted inside another drops its own prefix.
 */
public final class EngineMessages {

    private EngineMessages() {}

    /** @return the failure's message without the {@code [engine] } prefix, to quote it inside another one */
    public static String withoutPrefix(String engine, Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        String prefix = "[" + engine + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
