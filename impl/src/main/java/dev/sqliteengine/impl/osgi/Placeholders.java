package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.api.ConfigurationException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placeholders of Apache Felix's Config Admin interpolation plugin ({@code $[secret:NAME]},
 * {@code $[env:VARIABLE]}, {@code $[prop:KEY]}) that reach the engine as they were written. The
 * plugin replaces them when it hands a configuration over, and leaves one it cannot resolve as it
 * is: a secret file that is missing or misnamed, an environment variable that is not set, or no
 * plugin in the framework at all. Used as a password, such a value would only give the server's
 * "password authentication failed"; this says which placeholder was not replaced, and where its
 * value was looked for.
 */
final class Placeholders {

    /** {@code $[secret:NAME]}, {@code $[env:NAME;default=...]}: the kind, then the name up to a {@code ;} or the end. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\[(secret|env|prop):([^;\\]]*)[^\\]]*\\]");

    private Placeholders() {}

    /**
     * @param engine the engine's name, for the message
     * @param properties the configuration as Config Admin delivered it
     * @throws ConfigurationException naming the first property whose value still holds a placeholder
     */
    static void requireReplaced(String engine, Map<String, Object> properties) {
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            if (!(property.getValue() instanceof String value)) {
                continue;
            }
            Matcher placeholder = PLACEHOLDER.matcher(value);
            if (placeholder.find()) {
                throw new ConfigurationException(engine, property.getKey(), placeholder.group(), "a value, but the"
                        + " placeholder was not replaced: " + where(placeholder.group(1), placeholder.group(2))
                        + ", or no Config Admin interpolation plugin runs in the framework (write the value there,"
                        + " then update the configuration)");
            }
        }
    }

    private static String where(String kind, String name) {
        return switch (kind) {
            case "secret" -> "no readable file " + name + " in the secrets folder (the framework property"
                    + " org.apache.felix.configadmin.plugin.interpolation.secretsdir)";
            case "env" -> "no environment variable " + name + " in the framework's process";
            default -> "no framework or system property " + name;
        };
    }
}
