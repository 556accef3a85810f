package dev.sqliteengine.impl.osgi;

import dev.sqliteengine.api.EngineFailure;
import dev.sqliteengine.api.EngineFailures;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link EngineFailures} service: what the configured engines of this bundle recorded in the
 * {@link EngineHost} they share. The configuration service ({@code EngineConfigurations}) reads
 * it to show a configuration whose database cannot be opened as FAILED, with the reason.
 */
@Component(service = EngineFailures.class)
public final class EngineFailuresComponent implements EngineFailures {

    private final OpenFailures failures;

    @Activate
    public EngineFailuresComponent(@Reference EngineHost host) {
        this.failures = host.failures();
    }

    @Override
    public Optional<EngineFailure> get(String pid) {
        return failures.get(pid);
    }

    @Override
    public List<EngineFailure> list() {
        return failures.list();
    }
}
