package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database file is claimed by its engine for as long as the engine has it open, however the
 * configuration spells its path and however often the path changes: a second engine can never
 * open it meanwhile. Claims, the comparison of an old and a new path, and opening all use the
 * path resolved once to the real file.
 */
class FileClaimsFollowTheRealFileTest {

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();
    private Path file;
    private SqliteEngine engine;

    @BeforeEach
    void engineOnDataXDb() throws Exception {
        file = Files.createDirectories(dir.resolve("data")).resolve("x.db");
        engine = SqliteEngine.open(settings("owner", file.toString()), registry);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static EngineSettings settings(String name, String path, Object... more) {
        Map<String, Object> properties = new HashMap<>(Map.of("path", path));
        for (int i = 0; i < more.length; i += 2) {
            properties.put((String) more[i], more[i + 1]);
        }
        return EngineSettings.parse(properties, name, null);
    }

    @Test
    void theFileStaysClaimedWhileTheEngineMovesBetweenSpellingsOfIt() throws Exception {
        Path alias = Files.createSymbolicLink(dir.resolve("alias.db"), file);
        List<String> spellings = List.of(
                dir + "/data/./x.db",
                dir + "/data/../data/x.db",
                Path.of("").toAbsolutePath().relativize(file).toString(),
                alias.toString(),
                file.toString());

        for (String spelling : spellings) {
            engine.reconfigure(settings("owner", spelling));
            awaitPreviousPoolsClosed();

            assertThat(engine.status().path()).as(spelling).isEqualTo(file.toRealPath().toString());
            for (String other : spellings) {
                assertSecondEngineRefused(other);
            }
            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        }
        assertThat(SqliteEngineTest.rows(engine)).isEqualTo(spellings.size());
    }

    @Test
    void theFileStaysClaimedAfterMovingAwayAndBackWithinTheDrainTimeout() throws Exception {
        Path other = dir.resolve("data/other.db");
        CountDownLatch readRunning = new CountDownLatch(1);
        CountDownLatch finishRead = new CountDownLatch(1);
        // A read unit keeps the first pools on x.db busy, so they drain only after the engine came back.
        CompletableFuture<Integer> longRead = CompletableFuture.supplyAsync(() -> engine.connections().read(c -> {
            readRunning.countDown();
            awaitUninterruptibly(finishRead);
            return SqliteEngineTest.count(c, "t");
        }));
        assertThat(readRunning.await(30, TimeUnit.SECONDS)).isTrue();

        engine.reconfigure(settings("owner", other.toString()));
        engine.reconfigure(settings("owner", file.toString()));
        finishRead.countDown();
        assertThat(longRead.get(30, TimeUnit.SECONDS)).isZero();
        awaitPreviousPoolsClosed();

        assertSecondEngineRefused(file.toString());
        try (Engine second = SqliteEngine.open(settings("second", other.toString()), registry)) {
            assertThat(second.status().path()).as("the file the engine left is free").endsWith("other.db");
        }
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));

        engine.close();
        try (Engine second = SqliteEngine.open(settings("second", file.toString()), registry)) {
            assertThat(SqliteEngineTest.rows(second)).as("free again once the owner closed").isEqualTo(1);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void assertSecondEngineRefused(String spelling) {
        assertThatThrownBy(() -> SqliteEngine.open(settings("second", spelling), registry).close())
                .as("a second engine on %s", spelling)
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo("path");
                    assertThat(e.getMessage()).contains("engine owner has it open");
                });
    }

    /**
     * Waits until the pools the engine switched away from have drained and closed, which is when
     * they give up what they held. They close one after the other on a background thread, so
     * looking at threads by name would miss a retirement still queued behind a running one.
     */
    private void awaitPreviousPoolsClosed() {
        engine.awaitPreviousGenerationsClosed();
    }
}
