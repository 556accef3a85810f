package dev.sqliteengine.api;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine configurations whose engine is not running because opening it failed, and why. A
 * service of the impl bundle, which opens the engines of the factory configurations
 * {@value EngineProperties#FACTORY_PID}.
 * <p>
 * Validation ({@link EngineFactory#validate(java.util.Map)}) checks what can be known without
 * creating anything; what only opening the database reveals (a file that is not a database, a
 * folder that cannot be created) is reported here. A failure stays until the configuration
 * changes (the engine is then tried again: it either runs, which clears the failure, or fails
 * anew, which replaces it) or is deleted. {@link EngineConfigurations} shows such a
 * configuration as {@link EngineConfiguration.State#FAILED}.
 * <p>
 * Implementations are thread safe.
 */
@ProviderType
public interface EngineFailures {

    /**
     * @param pid a configuration's PID
     * @return why its engine could not be opened, if it is not running for that reason
     */
    Optional<EngineFailure> get(String pid);

    /** @return every current failure, in no particular order */
    List<EngineFailure> list();
}
