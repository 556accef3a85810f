package dev.sqliteengine.config;

import dev.sqliteengine.api.EngineProperties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the {@code key=value} arguments of the shell commands. The value is everything after
 * the first {@code =}, so it may contain {@code =} itself; {@code key=} (nothing after the
 * {@code =}) maps the key to null, which {@code engine:set} takes as "back to the default". A key
 * must look like a property name, so that a path with {@code =} in it never becomes a property
 * called {@code /data/a}.
 */
final class KeyValues {

    /** What a property name looks like: {@code osgi.connection.max}, {@code .password}, {@code felix.fileinstall.filename}. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z_.][A-Za-z0-9_.-]*");

    private KeyValues() {}

    /**
     * @param arguments arguments of the form {@code key=value}
     * @return the pairs in the order given; values are strings, or null for {@code key=}
     * @throws IllegalArgumentException when an argument has no {@code =}, no key or a key that
     *         is no property name, or a key is given twice; the message quotes the argument
     *         unless it may hold a secret
     */
    static Map<String, String> parse(String... arguments) {
        return arguments == null ? Collections.emptyMap() : parse(List.of(arguments), false);
    }

    /**
     * The arguments of {@code engine:create} after the name: {@code key=value} pairs, and the
     * database file either as {@code path=FILE} or as the one argument without {@code =}.
     *
     * @return the pairs, {@value EngineProperties#PATH} first when it was given
     * @throws IllegalArgumentException as {@link #parse(String...)}, and when the path is given
     *         twice or looks like {@code key=value} pairs run together ({@code path=path=x.db})
     */
    static Map<String, String> parseWithPath(String... arguments) {
        String positional = null;
        List<String> pairs = new ArrayList<>();
        for (String argument : arguments == null ? new String[0] : arguments) {
            if (argument != null && argument.indexOf('=') >= 0) {
                pairs.add(argument);
            } else if (positional == null && argument != null && !argument.isBlank()) {
                positional = argument;
            } else {
                throw new IllegalArgumentException("expected key=value, got '" + quoted(argument) + "'");
            }
        }
        Map<String, String> given = parse(pairs, true);
        Map<String, String> out = new LinkedHashMap<>();
        if (positional != null) {
            if (given.get(EngineProperties.PATH) != null) {
                throw new IllegalArgumentException("the path is given twice: '" + quoted(positional) + "' and "
                        + EngineProperties.PATH + "=" + quoted(given.get(EngineProperties.PATH)));
            }
            out.put(EngineProperties.PATH, positional);
        } else if (given.containsKey(EngineProperties.PATH)) {
            out.put(EngineProperties.PATH, given.get(EngineProperties.PATH));
        }
        given.forEach(out::putIfAbsent);
        String path = out.get(EngineProperties.PATH);
        if (path != null && looksLikeKeyValue(path)) {
            throw new IllegalArgumentException(EngineProperties.PATH + "=" + quoted(path) + " looks like a mistaken"
                    + " key=value, not a file; a file whose name really is so is given as " + EngineProperties.PATH
                    + "=./" + quoted(path));
        }
        return out;
    }

    private static Map<String, String> parse(List<String> arguments, boolean pathsAllowed) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument == null ? -1 : argument.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got '" + quoted(argument) + "'");
            }
            String key = argument.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("expected key=value, got a value without a key"
                        + (Secrets.isSecret(argument) ? "" : ": '" + quoted(argument) + "'"));
            }
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("'" + quoted(argument) + "' is not key=value ('" + quoted(key)
                        + "' is no property name)" + (pathsAllowed ? "; a path with '=' in it is given as "
                                + EngineProperties.PATH + "=" + quoted(argument) : ""));
            }
            String value = argument.substring(eq + 1);
            if (out.containsKey(key)) {
                throw new IllegalArgumentException(key + " is given twice");
            }
            out.put(key, value.isEmpty() ? null : value);
        }
        return out;
    }

    /** @return whether the text starts like {@code key=value}: a property name, then {@code =} */
    static boolean looksLikeKeyValue(String text) {
        int eq = text.indexOf('=');
        return eq > 0 && KEY.matcher(text.substring(0, eq).trim()).matches();
    }

    private static String quoted(String argument) {
        return argument == null ? "null" : TerminalText.escape(argument);
    }
}
