package dev.sqliteengine.config;

import dev.sqliteengine.api.EngineConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which properties hold secrets, so that their values never reach a snapshot, a command's output
 * or an error message: private properties (a leading {@code .}, the Config Admin convention),
 * anything whose name contains {@code password} or {@code secret}, and names with a segment
 * (between {@code .}, {@code _} or {@code -}) that is {@code key}, {@code token} or
 * {@code credentials}. {@code pragma.key} is a secret, {@code pragma.foreign_keys} is not.
 */
final class Secrets {

    private static final Pattern SECRET = Pattern.compile(
            "^\\..*|.*(password|passwd|secret).*|(.*[._-])?(key|apikey|token|credentials?)([._-].*)?",
            Pattern.CASE_INSENSITIVE);

    private Secrets() {}

    static boolean isSecret(String property) {
        return SECRET.matcher(property).matches();
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
