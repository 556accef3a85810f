package dev.sqliteengine.impl.jdbc;

import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.settings.StatementLogSettings;
import java.sql.Blob;
import java.sql.Clob;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine's statement log ({@code log.statements}, {@code log.slowThreshold},
 * {@code log.parameters}): one line per statement, through slf4j under the logger
 * {@code dev.sqliteengine.sql.<engine>}, with the engine name, the duration, the rows and the
 * SQL text.
 * <p>
 * Cost: when off, a statement pays one volatile read ({@link #on()}); nothing is timed, counted,
 * kept or formatted. The settings change in place on a reconfiguration, so running connections
 * follow at their next statement.
 * <p>
 * Secrets: a statement whose text contains a secret-looking word
 * ({@link EngineProperties#isSecret} applied to each word: {@code password}, {@code api_key},
 * {@code token}, …) has its string literals and all of its parameters shown as
 * {@value EngineConfiguration#MASK}. Parameters are shown only with {@code log.parameters=true}.
 * The text is shown on one line (whitespace collapsed, control characters escaped, at most
 * {@value #MAX_SQL} characters), so a statement cannot forge log lines.
 */
public final class StatementLog {

    static final int MAX_SQL = 1000;
    private static final int MAX_VALUE = 80;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_$.]+");
    private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");

    private final String engine;
    private final Logger log;
    private volatile StatementLogSettings settings;

    public StatementLog(String engine) {
        this.engine = engine;
        this.log = LoggerFactory.getLogger("dev.sqliteengine.sql." + engine);
        this.settings = new StatementLogSettings(StatementLogSettings.Mode.OFF, 0, false);
    }

    public void apply(StatementLogSettings next) {
        settings = next;
    }

    /** @return whether statements are logged now: the only question the hot path asks */
    boolean on() {
        return settings.mode() != StatementLogSettings.Mode.OFF;
    }

    /** @return whether statements prepared now should keep their parameters */
    boolean keepsParameters() {
        StatementLogSettings now = settings;
        return now.mode() != StatementLogSettings.Mode.OFF && now.parameters();
    }

    /**
     * Logs a statement that ended, if the settings ask for it.
     *
     * @param startNanos {@link System#nanoTime()} when it started
     * @param busyNanos the time it took; {@code -1} for the time since {@code startNanos}
     * @param rows rows changed or read, or {@code -1} when unknown
     * @param parameters the bound parameters by index, or null when none are shown
     * @param failure why it failed, or null
     */
    void ended(String sql, long startNanos, long busyNanos, long rows, Map<Integer, Object> parameters,
            Throwable failure) {
        StatementLogSettings now = settings;
        long nanos = busyNanos >= 0 ? busyNanos : System.nanoTime() - startNanos;
        boolean slow = nanos >= now.slowThresholdMillis() * 1_000_000L;
        if (now.mode() == StatementLogSettings.Mode.OFF || now.mode() == StatementLogSettings.Mode.SLOW && !slow) {
            return;
        }
        boolean secret = isSecret(sql);
        StringBuilder line = new StringBuilder(128).append('[').append(engine).append("] ");
        if (slow) {
            line.append("slow (").append(EngineProperties.LOG_SLOW_THRESHOLD).append('=')
                    .append(now.slowThresholdMillis()).append(" ms): ");
        }
        line.append(String.format(Locale.ROOT, "%.3f ms", nanos / 1e6));
        if (failure != null) {
            line.append(", failed (").append(oneLine(String.valueOf(failure.getMessage()), MAX_SQL)).append(')');
        } else if (rows >= 0) {
            line.append(", ").append(rows).append(rows == 1 ? " row" : " rows");
        }
        line.append(": ").append(oneLine(secret ? STRING_LITERAL.matcher(sql).replaceAll("'"
                + EngineConfiguration.MASK + "'") : sql, MAX_SQL));
        if (parameters != null && now.parameters()) {
            line.append(" | parameters ");
            appendParameters(line, parameters, secret);
        }
        if (slow) {
            log.warn(line.toString());
        } else {
            log.info(line.toString());
        }
    }

    /** @return whether a word of the statement looks like the name of a secret */
    static boolean isSecret(String sql) {
        Matcher words = WORD.matcher(sql);
        while (words.find()) {
            if (EngineProperties.isSecret(words.group())) {
                return true;
            }
        }
        return false;
    }

    private static void appendParameters(StringBuilder line, Map<Integer, Object> parameters, boolean secret) {
        line.append('[');
        boolean first = true;
        for (Map.Entry<Integer, Object> p : parameters.entrySet()) {
            line.append(first ? "" : ", ").append(p.getKey()).append('=');
            first = false;
            Object value = p.getValue();
            if (secret) {
                line.append(EngineConfiguration.MASK);
            } else if (value == null) {
                line.append("NULL");
            } else if (value instanceof String || value instanceof Character) {
                line.append('\'').append(oneLine(value.toString(), MAX_VALUE)).append('\'');
            } else if (value instanceof byte[] bytes) {
                line.append('<').append(bytes.length).append(" bytes>");
            } else if (value instanceof Number || value instanceof Boolean || value instanceof java.util.Date) {
                line.append(value);
            } else if (value instanceof Blob || value instanceof Clob || value instanceof java.io.InputStream
                    || value instanceof java.io.Reader) {
                line.append('<').append(value instanceof Blob || value instanceof java.io.InputStream ? "binary" : "text")
                        .append(" stream>");
            } else {
                line.append('<').append(value.getClass().getSimpleName()).append('>');
            }
        }
        line.append(']');
    }

    /** Whitespace runs become one space, other control characters are escaped, long text is cut. */
    static String oneLine(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= max && text.length() > max) {
            out.append("… (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }
}
