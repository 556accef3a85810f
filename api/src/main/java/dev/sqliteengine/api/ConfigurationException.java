package dev.sqliteengine.api;

/**
 * A configuration cannot work. {@link #property()} names the offending property; the message
 * names the property, the value that was given and what is allowed. A configuration rejected
 * with this exception never takes down an engine that is serving: the engine keeps its previous
 * settings.
 */
public class ConfigurationException extends EngineException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;

    /**
     * @param engineName the engine's name (or the configuration's PID when the name is unknown)
     * @param property the offending property, for example {@code pragma.journal_mode}
     * @param value the offending value as text, or null when the property was missing
     * @param allowed what is allowed, for example {@code one of DELETE, TRUNCATE, WAL}
     */
    public ConfigurationException(String engineName, String property, String value, String allowed) {
        super(engineName, property + "=" + (value == null ? "<missing>" : value) + " is invalid: " + allowed);
        this.property = property;
        this.value = value;
    }

    /** @return the name of the offending property */
    public String property() {
        return property;
    }

    /** @return the offending value as text (possibly shortened), or null when it was missing */
    public String value() {
        return value;
    }
}
