package dev.sqliteengine.impl.engine;

import static dev.sqliteengine.impl.engine.QueuedWriteUnits.SETTLE;
import static dev.sqliteengine.impl.engine.QueuedWriteUnits.insert;
import static dev.sqliteengine.impl.engine.QueuedWriteUnits.insertReturningCount;
import static dev.sqliteengine.impl.engine.SqliteEngineTest.count;
import static dev.sqliteengine.impl.engine.SqliteEngineTest.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.engine.QueuedWriteUnits.Background;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit ({@code write.groupCommit}) on a real SQLite file: write units that queue while a
 * unit runs share its transaction, and each of them is still all or nothing. A unit that fails is
 * undone alone and the others commit; a unit that makes SQLite end the whole transaction, or whose
 * work would make the shared commit fail, fails alone, and the units whose work went with it run
 * again and commit exactly once. What committed is read back by a new engine on the same file.
 * <p>
 * Units are queued one at a time behind a unit that holds the writer ({@link QueuedWriteUnits}),
 * so the order and the grouping are the test's, not the scheduler's.
 */
class GroupCommitTest {

    @TempDir
    Path dir;

    private final List<Engine> engines = new ArrayList<>();
    private final QueuedWriteUnits units = new QueuedWriteUnits();
    private final List<String> writerCheckouts = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        units.release();
        engines.forEach(Engine::close);
    }

    private Engine open(String name, Object... overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EngineProperties.NAME, name);
        properties.put(EngineProperties.PATH, dir.resolve(name + ".db").toString());
        properties.put(EngineProperties.WRITE_RETRIES, 0);
        properties.put(EngineProperties.WRITE_QUEUE, "fifo");
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put((String) overrides[i], overrides[i + 1]);
        }
        Engine engine = new SqliteEngineFactory(new EngineRegistry()).create(properties);
        engines.add(engine);
        engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"));
        engine.addListener(new EngineListener() {
            @Override
            public void checkedOut(EngineEvent event) {
                if (event.message().equals("writer")) {
                    writerCheckouts.add(Thread.currentThread().getName());
                }
            }
        });
        return engine;
    }

    @Test
    void unitsQueuedBehindARunningUnitShareItsTransactionAndEachGetsItsOwnResult() throws Exception {
        Engine engine = open("shared");
        Background<Integer> holder = units.hold(engine, 1);
        List<Background<Integer>> queued = new ArrayList<>();
        for (int id = 2; id <= 6; id++) {
            int row = id;
            queued.add(units.queue(engine, id, c -> insertReturningCount(c, row)));
        }
        units.release();
        assertThat(holder.result).succeedsWithin(SETTLE);
        for (int i = 0; i < queued.size(); i++) {
            // each unit saw the rows of the units before it in its group, as if they had committed
            assertThat(queued.get(i).result).succeedsWithin(SETTLE).isEqualTo(i + 2);
        }
        assertThat(writerCheckouts).as("one transaction: the writer was checked out once, by the holder")
                .containsExactly("unit-1");
        assertThat(committedIds(engine)).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aUnitThatThrowsIsUndoneAloneAndItsNeighboursCommit() throws Exception {
        Engine engine = open("undone");
        Background<Integer> holder = units.hold(engine, 1);
        Background<Integer> before = units.queue(engine, 2, c -> insertReturningCount(c, 2));
        Background<Integer> failing = units.queue(engine, 3, c -> {
            insert(c, 3);
            insert(c, 33);
            throw new IllegalStateException("the application changed its mind");
        });
        Background<Integer> after = units.queue(engine, 4, c -> insertReturningCount(c, 4));
        units.release();
        assertThat(holder.result).succeedsWithin(SETTLE);
        assertThat(before.result).succeedsWithin(SETTLE);
        assertThat(failing.result).failsWithin(SETTLE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThat(after.result).succeedsWithin(SETTLE).as("it saw 1, 2 and itself, not the undone 3 and 33").isEqualTo(3);
        assertThat(writerCheckouts).as("still one transaction").hasSize(1);
        assertThat(committedIds(engine)).containsExactly(1, 2, 4);
    }

    @Test
    void aUnitThatMakesSqliteEndTheWholeTransactionFailsAloneAndTheUnitsBeforeItRunAgain() throws Exception {
        Engine engine = open("ended");
        AtomicInteger holderRuns = new AtomicInteger();
        AtomicInteger beforeRuns = new AtomicInteger();
        Background<Integer> holder = units.hold(engine, 1, holderRuns);
        Background<Integer> before = units.queue(engine, 2, c -> {
            beforeRuns.incrementAndGet();
            return insertReturningCount(c, 2);
        });
        // a conflict with the holder's row, uncommitted but in the same transaction: SQLite rolls all of it back
        Background<Integer> ending = units.queue(engine, 3, c -> {
            sql(c, "INSERT OR ROLLBACK INTO t(id, v) VALUES (1, 'conflict')");
            return 0;
        });
        Background<Integer> after = units.queue(engine, 4, c -> insertReturningCount(c, 4));
        units.release();
        assertThat(holder.result).succeedsWithin(SETTLE);
        assertThat(before.result).succeedsWithin(SETTLE).as("run again alone, after the holder").isEqualTo(2);
        assertThat(ending.result).failsWithin(SETTLE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(EngineException.class)
                .withMessageContaining("SQLite rolled back the whole transaction");
        assertThat(after.result).succeedsWithin(SETTLE);
        assertThat(holderRuns.get()).as("the holder's work was lost once and ran again").isEqualTo(2);
        assertThat(beforeRuns.get()).isEqualTo(2);
        assertThat(committedIds(engine)).as("each unit that succeeded committed exactly once").containsExactly(1, 2, 4);
    }

    @Test
    void aUnitWhoseWorkWouldFailTheSharedCommitFailsAloneAndTheOthersCommit() throws Exception {
        Engine engine = open("deferred");
        engine.connections().execute(c -> {
            sql(c, "CREATE TABLE parent(id INTEGER PRIMARY KEY)");
            sql(c, "CREATE TABLE child(id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
        });
        Background<Integer> holder = units.hold(engine, 1);
        Background<Integer> before = units.queue(engine, 2, c -> insertReturningCount(c, 2));
        // legal until COMMIT: the missing parent is only checked then
        Background<Integer> orphan = units.queue(engine, 3, c -> {
            sql(c, "INSERT INTO child(id, parent) VALUES (1, 42)");
            return insertReturningCount(c, 3);
        });
        Background<Integer> after = units.queue(engine, 4, c -> insertReturningCount(c, 4));
        units.release();
        assertThat(holder.result).succeedsWithin(SETTLE);
        assertThat(before.result).succeedsWithin(SETTLE);
        assertThat(after.result).succeedsWithin(SETTLE);
        assertThat(orphan.result).failsWithin(SETTLE).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(EngineException.class).withMessageContaining("FOREIGN KEY");
        assertThat(committedIds(engine)).containsExactly(1, 2, 4);
        assertThat(reopened(engine).connections().<Integer>read(c -> count(c, "child"))).as("nothing of the orphan").isZero();
    }

    @Test
    void aUnitThatJoinedAGroupCannotWriteThroughTheDataSourceEither() throws Exception {
        Engine engine = open("self");
        Background<Integer> holder = units.hold(engine, 1);
        Background<Integer> joined = units.queue(engine, 2, c -> {
            try (Connection other = engine.dataSource().getConnection(); Statement s = other.createStatement()) {
                s.execute("INSERT INTO t(id, v) VALUES (22, 'would wait for itself')");
                return -1;
            } catch (SQLException refused) {
                assertThat((Throwable) refused).hasMessageContaining("already holds the engine's writer");
                return insertReturningCount(c, 2);
            }
        });
        units.release();
        assertThat(holder.result).succeedsWithin(SETTLE);
        assertThat(joined.result).as("refused at once, not after osgi.connection.timeout").succeedsWithin(SETTLE).isEqualTo(2);
        assertThat(writerCheckouts).as("it ran in the holder's transaction").hasSize(1);
        assertThat(committedIds(engine)).containsExactly(1, 2);
    }

    @Test
    void withGroupCommitOneEveryUnitHasATransactionOfItsOwn() throws Exception {
        Engine engine = open("alone", EngineProperties.WRITE_GROUP_COMMIT, 1);
        Background<Integer> holder = units.hold(engine, 1);
        Background<Integer> second = units.queue(engine, 2, c -> insertReturningCount(c, 2));
        Background<Integer> third = units.queue(engine, 3, c -> insertReturningCount(c, 3));
        units.release();
        assertThat(holder.result).succeedsWithin(SETTLE);
        assertThat(second.result).succeedsWithin(SETTLE);
        assertThat(third.result).succeedsWithin(SETTLE);
        assertThat(writerCheckouts).containsExactly("unit-1", "unit-2", "unit-3");
        assertThat(committedIds(engine)).containsExactly(1, 2, 3);
    }

    /**
     * 16 threads, hundreds of units each, one in ten throwing after its insert and one in fifty
     * ending SQLite's transaction: every unit that returned committed its row exactly once,
     * nothing of a failed one did, and only the failures meant to happen happened.
     */
    @Test
    void sixteenThreadsOfUnitsWithFailuresCommitExactlyTheUnitsThatSucceeded() throws Exception {
        Engine engine = open("stress", EngineProperties.WRITE_GROUP_COMMIT, 4);
        engine.connections().execute(c -> insert(c, 0)); // what an ending unit conflicts with
        int threads = 16;
        int each = 150;
        Set<Integer> succeeded = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger unexpected = new AtomicInteger();
        AtomicInteger ids = new AtomicInteger(1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    int id = ids.getAndIncrement();
                    int kind = ThreadLocalRandom.current().nextInt(50);
                    try {
                        engine.connections().execute(c -> {
                            insert(c, id);
                            if (kind < 5) {
                                throw new IllegalStateException("refused");
                            }
                            if (kind == 5) {
                                sql(c, "INSERT OR ROLLBACK INTO t(id, v) VALUES (0, 'conflict')");
                            }
                        });
                        succeeded.add(id);
                    } catch (IllegalStateException e) {
                        // meant to happen
                    } catch (EngineException e) {
                        if (kind != 5) {
                            unexpected.incrementAndGet();
                        }
                    }
                }
            }, runnable -> new Thread(runnable).start()));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        assertThat(unexpected.get()).isZero();
        Set<Integer> expected = new TreeSet<>(succeeded);
        expected.add(0);
        assertThat(committedIds(engine)).isEqualTo(expected);
    }

    // Helpers

    /** Closes the engine, once, and opens a new one on the same file: it finds what really committed. */
    private Engine reopened(Engine engine) {
        String name = engine.name() + "-reader";
        for (Engine e : engines) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        engine.close();
        Engine reader = new SqliteEngineFactory(new EngineRegistry()).create(Map.of("name", name,
                "path", dir.resolve(engine.name() + ".db").toString()));
        engines.add(reader);
        return reader;
    }

    /** The ids that really committed, as a new engine on the same file reads them. */
    private Set<Integer> committedIds(Engine engine) {
        return reopened(engine).connections().read(c -> {
            Set<Integer> ids = new TreeSet<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM t")) {
                while (r.next()) {
                    ids.add(r.getInt(1));
                }
            }
            return ids;
        });
    }
}
