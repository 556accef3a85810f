package dev.sqliteengine.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the {@code key=value} arguments of the shell commands. The value is everything after
 * the first {@code =}, so it may contain {@code =} itself; {@code key=} (nothing after the
 * {@code =}) maps the key to null, which {@code engine:set} takes as "back to the default".
 */
final class KeyValues {

    private KeyValues() {}

    /**
     * @param arguments arguments of the form {@code key=value}
     * @return the pairs in the order given; values are strings, or null for {@code key=}
     * @throws IllegalArgumentException when an argument has no {@code =} or no key, or a key is
     *         given twice; the message quotes the argument unless it may hold a secret
     */
    static Map<String, String> parse(String... arguments) {
        if (arguments == null) {
            return Collections.emptyMap();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument == null ? -1 : argument.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got '" + argument + "'");
            }
            String key = argument.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("expected key=value, got a value without a key"
                        + (Secrets.isSecret(argument) ? "" : ": '" + argument + "'"));
            }
            String value = argument.substring(eq + 1);
            if (out.containsKey(key)) {
                throw new IllegalArgumentException(key + " is given twice");
            }
            out.put(key, value.isEmpty() ? null : value);
        }
        return out;
    }
}
