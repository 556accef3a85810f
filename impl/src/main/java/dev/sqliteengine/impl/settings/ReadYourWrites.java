package dev.sqliteengine.impl.settings;

import java.util.Locale;

/**
 * Whether a read on a replica must see what the engine committed before it
 * ({@code replicas.readYourWrites}).
 */
public enum ReadYourWrites {

    /** Wait for a replica to replay the engine's last commit, up to the timeout, then read the primary. */
    WAIT,

    /** Read the primary while no replica has replayed the engine's last commit. */
    PRIMARY,

    /** Read a replica as it is; commits are not followed. */
    OFF;

    /** @return the lower-case name used in configurations */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the mode named {@code value} (any case), or null */
    static ReadYourWrites byConfigName(String value) {
        for (ReadYourWrites mode : values()) {
            if (mode.configName().equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        return null;
    }
}
