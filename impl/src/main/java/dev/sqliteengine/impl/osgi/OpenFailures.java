package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineFailure;
import dev.sqliteengine.api.EngineFailures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why the engine of each configuration (by PID) failed to open, for as long as that is the reason
 * it does not run. {@link EngineComponent} records a failure when opening throws and removes it
 * when the engine opens, when the configuration turns out invalid (that is reported by
 * validation, not here) and when the configuration goes away. Thread safe: components of
 * different configurations are activated on different threads.
 */
final class OpenFailures implements EngineFailures {

    private final Map<String, EngineFailure> byPid = new ConcurrentHashMap<>();

    void failed(String pid, String name, EngineException failure) {
        byPid.put(pid, new EngineFailure(pid, name, String.valueOf(failure.getMessage()), failure.resultCode(),
                System.currentTimeMillis()));
    }

    void clear(String pid) {
        byPid.remove(pid);
    }

    @Override
    public Optional<EngineFailure> get(String pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    @Override
    public List<EngineFailure> list() {
        return List.copyOf(byPid.values());
    }
}
