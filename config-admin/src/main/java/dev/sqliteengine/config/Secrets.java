package dev.sqliteengine.config;

import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineProperties;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Masks the values of properties that hold secrets, so that they never reach a snapshot, a
 * command's output or an error message. Which properties those are is
 * {@link EngineProperties#isSecret}, the rule the engine's own error messages follow too.
 */
final class Secrets {

    private Secrets() {}

    static boolean isSecret(String property) {
        return EngineProperties.isSecret(property);
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
