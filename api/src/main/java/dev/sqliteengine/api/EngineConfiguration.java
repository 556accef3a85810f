package dev.sqliteengine.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot of one engine configuration in Config Admin and of how the engine fares with it, as
 * {@link EngineConfigurations} returns it. Immutable.
 *
 * @param name the engine's name
 * @param pid the configuration's PID, for example {@code dev.sqliteengine.engine~main}
 * @param properties the configuration's properties as stored, without Config Admin's own
 *        ({@code service.pid}, {@code service.factoryPid}, {@code service.bundleLocation}); the
 *        values of secret properties are replaced by {@value #MASK}; sorted by name
 * @param state how the engine fares with this configuration
 * @param rejection why the configuration gives no engine, or not the engine it describes: always
 *        present in states {@link State#REJECTED} (why it is invalid) and {@link State#FAILED}
 *        (why its database could not be opened); in state {@link State#RUNNING}, present when
 *        the latest update was rejected and the engine goes on with its previous settings;
 *        empty in state {@link State#WAITING}
 */
public record EngineConfiguration(
        String name,
        String pid,
        Map<String, Object> properties,
        State state,
        Optional<String> rejection) {

    /** What replaces the value of a secret property. */
    public static final String MASK = "********";

    /** Copies the properties so the snapshot stays immutable, and checks the fields. */
    public EngineConfiguration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(rejection, "rejection");
        properties = Map.copyOf(properties);
        if ((state == State.REJECTED || state == State.FAILED) && rejection.isEmpty()) {
            throw new IllegalArgumentException("a " + state + " configuration needs a reason");
        }
    }

    /** @return the properties sorted by name, for display */
    public Map<String, Object> sortedProperties() {
        return new TreeMap<>(properties);
    }

    /** How an engine fares with its configuration. */
    public enum State {
        /** An {@link Engine} service with {@value EngineProperties#ENGINE_NAME} equal to the name is registered. */
        RUNNING,
        /** No engine runs because the configuration is invalid; {@link #rejection()} says why. */
        REJECTED,
        /**
         * No engine runs because, although the configuration is valid, its database could not be
         * opened (a file that is not a database, a folder that cannot be created, a name another
         * engine took meanwhile); {@link #rejection()} says why, as {@link EngineFailures}
         * reports it. The engine is tried again when the configuration changes.
         */
        FAILED,
        /**
         * No engine runs yet although the configuration is valid, and no attempt to open it has
         * failed: Config Admin has not delivered it yet, or the impl bundle is not active.
         */
        WAITING
    }
}
