package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaving WAL mode needs the only connection to the file, so that switch closes the old pools
 * before it opens the new ones, and new work has nowhere to run in between. New work waits for
 * the switch, parked (not spinning), at most {@code osgi.connection.timeout}; and a switch that
 * can open nothing at all leaves the engine visibly {@code FAILED}, never spinning on closed pools.
 * <p>
 * A long read unit holds the switch open: the old pools close only once it ended (or after
 * {@code drainTimeout}, set long here).
 */
class PoolHandoverTest {

    @TempDir
    Path dir;

    private final EngineRegistry registry = new EngineRegistry();
    private final CountDownLatch releaseTheLongRead = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private SqliteEngine engine;

    @AfterEach
    void cleanUp() throws InterruptedException {
        releaseTheLongRead.countDown();
        if (engine != null) {
            engine.close();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(1));
        }
    }

    private EngineSettings settings(String journalMode) {
        Map<String, Object> map = new HashMap<>();
        map.put("path", dir.resolve("handover.db").toString());
        map.put("pragma.journal_mode", journalMode);
        map.put("drainTimeout", 120_000);
        return EngineSettings.parse(map, "handover", null);
    }

    /** Runs the work on a new thread; the returned reference gets its result or what it threw. */
    private <T> AtomicReference<Object> start(String name, Callable<T> work) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.set(work.call());
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, name);
        threads.add(thread);
        thread.start();
        return outcome;
    }

    private Thread thread(String name) {
        return threads.stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    private static boolean parked(Thread t) {
        return t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING;
    }

    /**
     * Opens the engine in WAL mode with one row, starts a read unit that lasts until the test
     * releases it, and a switch to {@code journal_mode=DELETE} that waits for that read.
     */
    private AtomicReference<Object> aSwitchHeldOpenByALongRead() throws InterruptedException {
        engine = SqliteEngine.open(settings("WAL"), registry);
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(v)"));
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        CountDownLatch reading = new CountDownLatch(1);
        start("long-read", () -> engine.connections().read(c -> {
            reading.countDown();
            try {
                releaseTheLongRead.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(e);
            }
            return SqliteEngineTest.count(c, "t");
        }));
        reading.await();
        AtomicReference<Object> switched = start("switch", () -> engine.reconfigure(settings("DELETE")));
        // The switch waits for the long read to end before it closes the old pools.
        await().atMost(30, TimeUnit.SECONDS).until(() -> parked(thread("switch")));
        return switched;
    }

    /** New work of every kind, each on its own thread, started while the switch is pending. */
    private List<AtomicReference<Object>> newWorkOfEveryKind() {
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(start("read-" + i, () -> engine.connections().<String>read(c -> SqliteEngineTest.pragma(c,
                    "journal_mode"))));
        }
        outcomes.add(start("write", () -> engine.connections().write(c -> c.createStatement().executeUpdate(
                "INSERT INTO t VALUES (2)"))));
        outcomes.add(start("connect", () -> {
            try (Connection c = engine.connect()) {
                return SqliteEngineTest.pragma(c, "journal_mode");
            }
        }));
        return outcomes;
    }

    private void awaitAllParked(List<AtomicReference<Object>> outcomes) {
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            for (Thread t : threads) {
                if (!t.getName().equals("long-read") && !t.getName().equals("switch")) {
                    assertThat(parked(t)).as(t.getName() + " is parked, not running, while the switch is pending: "
                            + t.getState()).isTrue();
                }
            }
        });
        assertThat(outcomes).allSatisfy(o -> assertThat(o.get()).as("finished before the switch").isNull());
        assertThat(thread("switch").isAlive()).isTrue();
    }

    private void awaitAllDone() throws InterruptedException {
        for (Thread t : threads) {
            if (!t.getName().equals("long-read")) {
                t.join(TimeUnit.MINUTES.toMillis(1));
                assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
            }
        }
    }

    @Test
    void newWorkWaitsParkedWhileLeavingWalModeWaitsForALongReadThenRunsOnTheNewPools() throws Exception {
        AtomicReference<Object> switched = aSwitchHeldOpenByALongRead();
        List<AtomicReference<Object>> outcomes = newWorkOfEveryKind();
        awaitAllParked(outcomes);

        releaseTheLongRead.countDown();
        awaitAllDone();
        assertThat(switched.get()).isEqualTo(true);
        for (AtomicReference<Object> o : outcomes.subList(0, 4)) {
            assertThat(o.get()).isEqualTo("delete");
        }
        assertThat(outcomes.get(4).get()).isEqualTo(1); // the write's row count
        assertThat(outcomes.get(5).get()).isEqualTo("delete");
        assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        assertThat(SqliteEngineTest.rows(engine)).isEqualTo(2);
    }

    @Test
    void aSwitchThatCanOpenNothingFailsTheEngineVisiblyAndReleasesEveryoneWaiting() throws Exception {
        AtomicReference<Object> switched = aSwitchHeldOpenByALongRead();
        List<AtomicReference<Object>> outcomes = newWorkOfEveryKind();
        awaitAllParked(outcomes);

        // While the switch waits, something that is not a database takes the file's place, and the
        // WAL and index go (SQLite would read the old pages from them): neither the new settings
        // nor the previous ones can open what is left.
        Path garbage = dir.resolve("garbage");
        Files.write(garbage, "not a database, just text that is long enough to have a header".repeat(100).getBytes());
        Files.move(garbage, dir.resolve("handover.db"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Files.delete(dir.resolve("handover.db-wal"));
        Files.delete(dir.resolve("handover.db-shm"));
        releaseTheLongRead.countDown();
        awaitAllDone();

        assertThat(switched.get()).isInstanceOfSatisfying(ConnectionException.class,
                e -> assertThat(e.getMessage()).startsWith("[handover] ").contains("not a database"));
        assertThat(engine.status().state()).isEqualTo(EngineState.FAILED);
        assertThat(engine.status().lastRejection()).hasValueSatisfying(m -> assertThat(m).contains("not a database"));
        for (AtomicReference<Object> o : outcomes) {
            assertThat(o.get()).isInstanceOfSatisfying(ConnectionException.class, e -> assertThat(e.getMessage())
                    .startsWith("[handover] ").contains("failed").contains("not a database"));
        }
        // New work fails at once, with the same reason.
        assertThatThrownBy(() -> engine.connections().read(c -> 1)).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("not a database");
        assertThatThrownBy(() -> engine.dataSource().getConnection()).hasMessageContaining("not a database");

        // A database back at the path, and the next configuration update brings the engine back.
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(dir.resolve("handover.db" + suffix));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("handover.db"));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(v)");
            s.execute("INSERT INTO t VALUES ('restored')");
        }
        assertThat(engine.reconfigure(settings("DELETE"))).isTrue();
        assertThat(engine.status().state()).isEqualTo(EngineState.RUNNING);
        assertThat(engine.status().lastRejection()).isEmpty();
        assertThat(SqliteEngineTest.rows(engine)).isEqualTo(1);
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES ('after')"));
        assertThat(SqliteEngineTest.rows(engine)).isEqualTo(2);
    }
}
