package dev.sqliteengine.impl.settings;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineProperties;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a configuration map, turning anything that does not convert into a
 * {@link ConfigurationException} that names the property, the value and what is allowed. Every
 * rejection of a configuration goes through {@link #invalid}, so no secret value escapes.
 * Accepts the documented type or a string that converts to it, since FileInstall {@code .cfg}
 * files and the shell give strings.
 */
public final class PropertyReader {

    /** Longer values are shortened in messages: a log line must stay one readable line. */
    private static final int MAX_SHOWN = 80;

    private final Map<String, ?> properties;
    private final String owner;

    /**
     * @param properties the configuration
     * @param owner what error messages are prefixed with: the engine name, or the PID while the
     *        name is not known yet
     */
    PropertyReader(Map<String, ?> properties, String owner) {
        this.properties = properties;
        this.owner = owner;
    }

    PropertyReader withOwner(String newOwner) {
        return new PropertyReader(properties, newOwner);
    }

    /** @return the single value of a property, or null when absent or blank */
    Object raw(String key) {
        Object value = properties.get(key);
        if (value == null) {
            return null;
        }
        if (value.getClass().isArray() || value instanceof Collection) {
            Object[] items = value instanceof Collection<?> c ? c.toArray() : toArray(value);
            if (items.length != 1) {
                throw invalid(key, value, "a single value, not a list of " + items.length);
            }
            value = items[0];
        }
        if (value instanceof String s && s.trim().isEmpty()) {
            return null;
        }
        return value;
    }

    String string(String key, String fallback) {
        Object value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s)) {
            throw invalid(key, value, "a string");
        }
        return s.trim();
    }

    /**
     * @return the values of a property that may hold several: a list or an array of strings, or
     *         one string whose values are separated by whitespace or by commas that come before
     *         {@code separatedBefore} (a comma may be part of a value, as in a URL with several
     *         hosts); blanks dropped, each value trimmed; empty when absent or blank
     */
    List<String> strings(String key, String separatedBefore) {
        Object value = properties.get(key);
        if (value == null) {
            return List.of();
        }
        Object[] items = value.getClass().isArray() ? toArray(value)
                : value instanceof Collection<?> c ? c.toArray() : new Object[] {value};
        Pattern separator = Pattern.compile("\\s*,\\s*(?=(?i)" + Pattern.quote(separatedBefore) + ")|\\s+");
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String s)) {
                throw invalid(key, value, "strings");
            }
            for (String part : separator.split(s.trim())) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return List.copyOf(out);
    }

    boolean bool(String key, boolean fallback) {
        Object value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    break;
            }
        }
        throw invalid(key, value, "true or false");
    }

    /**
     * @return a whole number within [min, max], or the fallback when absent
     */
    long number(String key, long fallback, long min, long max, String allowed) {
        Object value = raw(key);
        if (value == null) {
            return fallback;
        }
        long n;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            n = ((Number) value).longValue();
        } else if (value instanceof String s) {
            try {
                n = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw invalid(key, value, allowed);
            }
        } else {
            throw invalid(key, value, allowed);
        }
        if (n < min || n > max) {
            throw invalid(key, value, allowed);
        }
        return n;
    }

    /**
     * @return a whole number that is 0 (off) or within [least, most], or the fallback when absent;
     *         an error shows the value as given, not as converted
     */
    long zeroOrBetween(String key, long fallback, long least, long most, String unit) {
        String allowed = "0 (off) or " + unit + " from " + least + " to " + most;
        long value = number(key, fallback, 0, most, allowed);
        if (value != 0 && value < least) {
            throw invalid(key, raw(key), allowed);
        }
        return value;
    }

    /**
     * @return the exception for a value that is not allowed; the value of a property that may
     *         hold a secret ({@link EngineProperties#isSecret}) is masked, since the message goes
     *         to logs, {@code lastRejection} and the shell
     */
    ConfigurationException invalid(String key, Object value, String allowed) {
        String text = value == null ? null : EngineProperties.isSecret(key) ? EngineConfiguration.MASK : shown(value);
        return new ConfigurationException(owner, key, text, allowed);
    }

    /**
     * @param shown the value as it may be shown: the caller masked what in it may be a secret
     *        (a password inside a URL)
     * @return the exception for a value that is not allowed
     */
    ConfigurationException invalidShown(String key, String shown, String allowed) {
        return new ConfigurationException(owner, key, shown(shown), allowed);
    }

    /** @return whether the property has a value that is not blank, whatever its form: nothing is checked */
    boolean isSet(String key) {
        Object value = properties.get(key);
        if (value != null && (value.getClass().isArray() || value instanceof Collection)) {
            // a form's empty list attribute (Metatype cardinality): set only with a value that is not blank
            Object[] items = value instanceof Collection<?> c ? c.toArray() : toArray(value);
            return java.util.Arrays.stream(items).anyMatch(i -> i != null && !(i instanceof String s && s.isBlank()));
        }
        return value != null && !(value instanceof String s && s.isBlank());
    }

    /** @return the keys of the configuration */
    java.util.Set<String> keys() {
        return properties.keySet();
    }

    /** @return a reader over the same configuration without the given keys, with the same owner */
    PropertyReader without(java.util.Collection<String> keys) {
        if (keys.isEmpty()) {
            return this;
        }
        Map<String, Object> rest = new java.util.HashMap<>(properties);
        rest.keySet().removeAll(keys);
        return new PropertyReader(rest, owner);
    }

    /**
     * The value as it may appear in a message or a log: control characters (a NUL, a newline)
     * escaped so one value cannot forge extra log lines, and long values shortened.
     */
    public static String shown(Object value) {
        String text = value instanceof String ? (String) value : value + " (" + value.getClass().getSimpleName() + ")";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < MAX_SHOWN; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_SHOWN && text.length() > MAX_SHOWN) {
            out.append("… (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    private static Object[] toArray(Object array) {
        Object[] out = new Object[Array.getLength(array)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Array.get(array, i);
        }
        return out;
    }
}
