package dev.sqliteengine.impl.settings;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canonical value of every allow-listed pragma, defaults filled in. Immutable.
 */
public final class PragmaSet {

    private final Map<Pragma, String> values;

    private PragmaSet(Map<Pragma, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** @return every pragma at its default */
    public static PragmaSet defaults() {
        return new PragmaSet(new EnumMap<>(Pragma.class)).with(Map.of());
    }

    /**
     * @param overrides canonical values that replace the defaults
     * @return a set with the defaults and the overrides
     */
    public static PragmaSet of(Map<Pragma, String> overrides) {
        return new PragmaSet(new EnumMap<>(Pragma.class)).with(overrides);
    }

    private PragmaSet with(Map<Pragma, String> overrides) {
        EnumMap<Pragma, String> all = new EnumMap<>(Pragma.class);
        for (Pragma p : Pragma.values()) {
            all.put(p, overrides.getOrDefault(p, p.defaultValue()));
        }
        return new PragmaSet(all);
    }

    /** @return the canonical value of a pragma */
    public String get(Pragma pragma) {
        return values.get(pragma);
    }

    /** @return the values keyed by property name ({@code pragma.cache_size}), in a stable order */
    public Map<String, Object> asProperties() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((p, v) -> out.put(p.property(), p.numeric() ? (Object) Long.valueOf(v) : v));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PragmaSet other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
