package dev.sqliteengine.micrometer.osgi;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.micrometer.EngineMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Binds every {@code Engine} service to every {@code MeterRegistry} service (Micrometer's
 * {@link EngineMeters}), as they come and go: an engine that starts gets its meters in each
 * registry, one that goes takes them away, a registry that comes gets every engine's. A live
 * reconfiguration keeps the engine's service, so its meters stay and keep counting.
 * <p>
 * Both references are dynamic, multiple and greedy; SCR may call the bind and unbind methods on
 * different threads at once, so they and {@link #deactivate} hold this object's lock: the
 * invariant is that {@link #meters} has one entry per bound engine, bound to exactly the
 * registries in {@link #registries}.
 */
@Component(service = {})
public final class EngineMetersComponent {

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    /** Guarded by this. */
    private final Map<Engine, EngineMeters> meters = new LinkedHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindMeterRegistry(MeterRegistry registry) {
        registries.add(registry);
        meters.values().forEach(m -> m.bindTo(registry));
        assert invariant();
    }

    synchronized void unbindMeterRegistry(MeterRegistry registry) {
        registries.remove(registry);
        meters.values().forEach(m -> m.removeFrom(registry));
        assert invariant();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindEngine(Engine engine) {
        EngineMeters bound = new EngineMeters(engine);
        registries.forEach(bound::bindTo);
        EngineMeters previous = meters.put(engine, bound);
        if (previous != null) {
            previous.close();
        }
        assert invariant();
    }

    synchronized void unbindEngine(Engine engine) {
        EngineMeters gone = meters.remove(engine);
        if (gone != null) {
            gone.close();
        }
        assert invariant();
    }

    @Deactivate
    synchronized void deactivate() {
        meters.values().forEach(EngineMeters::close);
        meters.clear();
    }

    private boolean invariant() {
        return meters.values().stream().allMatch(m -> m.registries().size() == registries.size()
                && registries.containsAll(m.registries()));
    }
}
