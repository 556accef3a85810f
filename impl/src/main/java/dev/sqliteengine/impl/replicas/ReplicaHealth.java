package dev.sqliteengine.impl.replicas;

import dev.sqliteengine.api.EngineHealth;
import dev.sqliteengine.api.EngineHealth.Finding;
import dev.sqliteengine.api.EngineHealth.Status;
import java.util.ArrayList;
import java.util.List;

/** The health finding of an engine's replicas ({@link EngineHealth#REPLICAS}): WARN names each one that does not serve. */
public final class ReplicaHealth {

    private ReplicaHealth() {}

    /** @return the finding, or null when the engine has no replicas (it then has no such finding) */
    public static Finding of(ReplicaSet replicas, ReadRouter router) {
        if (replicas.isEmpty()) {
            return null;
        }
        List<String> down = new ArrayList<>();
        List<String> serving = new ArrayList<>();
        for (ReplicaPool r : replicas.all()) {
            ReplicaPool.State s = r.state();
            switch (s.phase()) {
                case DOWN -> down.add(r.name() + " (" + r.url() + ") cannot serve reads since " + s.since() + ": " + s.why());
                case CHECKING -> serving.add(r.name() + " being checked");
                case SERVING -> serving.add(r.name() + " serving, " + r.reads() + " reads");
            }
        }
        String figures = router.readsOnPrimary() + " reads on the primary while no replica could serve them, "
                + router.waits() + " waited for a replica to replay a commit, " + router.reruns()
                + " run again on the primary after their replica failed";
        if (!down.isEmpty()) {
            return new Finding(EngineHealth.REPLICAS, Status.WARN, String.join("; ", down)
                    + "; their reads run on the primary" + (serving.isEmpty() ? "" : " or " + String.join(", ", serving))
                    + " (" + figures + ")");
        }
        return new Finding(EngineHealth.REPLICAS, Status.OK, String.join(", ", serving) + " (" + figures + ")");
    }
}
