package dev.sqliteengine.config;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the values a caller gave into values Config Admin can store, typed as the engine reads
 * them. The effective settings from {@code EngineFactory.validate} tell the documented type:
 * {@code "8"} for {@code osgi.connection.max} is stored as the Integer 8, so the stored
 * configuration reads like a typed Configurator file rather than a bag of strings.
 */
final class ConfigValues {

    private static final Set<Class<?>> SCALARS = Set.of(String.class, Integer.class, Long.class,
            Float.class, Double.class, Byte.class, Short.class, Character.class, Boolean.class,
            BigInteger.class, BigDecimal.class);

    private ConfigValues() {}

    /**
     * @param given the properties as the caller gave them (no null values)
     * @param effective the effective settings that validation returned for them
     * @return the properties to store
     */
    static Map<String, Object> typed(Map<String, ?> given, Map<String, Object> effective) {
        Map<String, Object> out = new LinkedHashMap<>();
        given.forEach((key, value) -> out.put(key, typed(value, effective.get(key))));
        return out;
    }

    private static Object typed(Object given, Object effective) {
        boolean documented = effective instanceof Number || effective instanceof Boolean;
        if (documented && SCALARS.contains(effective.getClass())
                && (given instanceof String || given instanceof Number) && given.getClass() != effective.getClass()) {
            return effective;
        }
        return storable(given);
    }

    /** Config Admin stores scalars, arrays and collections of scalars; anything else as text. */
    private static Object storable(Object value) {
        if (SCALARS.contains(value.getClass())) {
            return value;
        }
        if (value.getClass().isArray()) {
            Class<?> component = value.getClass().getComponentType();
            if (component.isPrimitive() || SCALARS.contains(component)) {
                return value;
            }
            String[] texts = new String[Array.getLength(value)];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = String.valueOf(Array.get(value, i));
            }
            return texts;
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(e -> e == null || SCALARS.contains(e.getClass()) ? e : String.valueOf(e)).toList();
        }
        return String.valueOf(value);
    }

    /** @return the value as one line of text for display; arrays and lists as {@code [a, b]} */
    static String display(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            List<Object> items = new java.util.ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return items.toString();
        }
        return String.valueOf(value);
    }
}
