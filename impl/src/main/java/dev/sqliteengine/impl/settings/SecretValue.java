package dev.sqliteengine.impl.settings;

import dev.sqliteengine.api.EngineConfiguration;
import java.util.Objects;

/**
 * A value that must never be shown, such as a password: {@link #toString()} masks it, so that
 * settings printed into a message or a log line (a record's {@code toString} prints every field)
 * cannot leak it. Only {@link #reveal()} gives the value, for the driver.
 */
public final class SecretValue {

    private final String value;

    SecretValue(String value) {
        this.value = Objects.requireNonNull(value);
    }

    /** @return the secret itself: for the driver only, never for a message */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** @return the mask, never the value */
    @Override
    public String toString() {
        return EngineConfiguration.MASK;
    }
}
