package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineHistory;
import dev.sqliteengine.api.EngineSample;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.PoolSample;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real engine keeps its history from its health sampler's looks: what its units did shows in
 * the samples, and a reconfiguration keeps what was sampled before it.
 */
class EngineHistoryTest {

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();
    private SqliteEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static long sum(List<EngineSample> samples, java.util.function.ToLongFunction<EngineSample> figure) {
        return samples.stream().mapToLong(figure).sum();
    }

    @Test
    void writesAndReadsShowInTheSamplesAndAReconfigurationKeepsThem() {
        engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", dir.resolve("h.db").toString()), "history", null), registry);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
        for (int i = 0; i < 50; i++) {
            int v = i;
            engine.connections().write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (" + v + ")"));
            engine.connections().read(c -> c.createStatement().executeQuery("SELECT count(*) FROM t").next());
        }
        EngineStatus status = engine.status();
        long commits = status.commits();

        await().atMost(Duration.ofSeconds(20)).until(() -> sum(engine.history().recent(), EngineSample::commits) == commits);
        EngineHistory before = engine.history();
        assertThat(commits).isEqualTo(51);
        assertThat(sum(before.recent(), s -> s.writeUnits().count())).isEqualTo(status.writeUnits().count());
        assertThat(sum(before.recent(), s -> s.readUnits().count())).isEqualTo(status.readUnits().count())
                .isGreaterThanOrEqualTo(50);
        assertThat(before.recent()).allSatisfy(s -> {
            assertThat(s.walBytes()).isPresent();
            assertThat(s.pools()).extracting(p -> p.pool()).containsExactly("writer", "readers", "dataSource");
        });
        assertThat(before.recent()).anySatisfy(s -> assertThat(s.writeUnits().p99Nanos()).isPositive());

        engine.reconfigure(EngineSettings.parse(Map.of("path", dir.resolve("h.db").toString(), "osgi.connection.max", 4),
                "history", null));
        engine.connections().write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (-1)"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sum(engine.history().recent(), EngineSample::commits) == commits + 1);
        List<EngineSample> after = engine.history().recent();
        assertThat(after).startsWith(before.recent().toArray(EngineSample[]::new));
        assertThat(after.get(after.size() - 1).pools()).extracting(PoolSample::max).as("the new sizes")
                .containsExactlyElementsOf(engine.status().pools().stream().map(PoolStatus::max).toList());
    }
}
