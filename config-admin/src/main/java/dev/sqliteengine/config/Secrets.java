package dev.sqliteengine.config;

import dev.sqliteengine.api.EngineConfiguration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which properties hold secrets, so that their values never reach a snapshot, a command's output
 * or an error message. Private properties (a leading {@code .}, the Config Admin convention) and
 * anything that looks like a password or a key count as secrets.
 */
final class Secrets {

    private Secrets() {}

    static boolean isSecret(String property) {
        String p = property.toLowerCase(Locale.ROOT);
        return p.startsWith(".") || p.contains("password") || p.contains("secret") || p.contains("key");
    }

    static Object mask(String property, Object value) {
        return isSecret(property) ? EngineConfiguration.MASK : value;
    }

    static Map<String, Object> masked(Map<String, ?> properties) {
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, mask(k, v)));
        return out;
    }
}
