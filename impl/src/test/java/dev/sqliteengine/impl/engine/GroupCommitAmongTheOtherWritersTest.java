package dev.sqliteengine.impl.engine;

import static dev.sqliteengine.impl.engine.QueuedWriteUnits.SETTLE;
import static dev.sqliteengine.impl.engine.QueuedWriteUnits.insert;
import static dev.sqliteengine.impl.engine.QueuedWriteUnits.insertReturningCount;
import static dev.sqliteengine.impl.engine.SqliteEngineTest.pragma;
import static dev.sqliteengine.impl.engine.SqliteEngineTest.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.impl.engine.QueuedWriteUnits.Background;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit among everything else that writes or counts: each run of a grouped unit is heard
 * and counted as a unit alone is; a lost group's units run again only within their
 * {@code write.deadline}; and a writer that is not a unit (a maintenance step, a pool switch that
 * leaves WAL mode, a restore) waiting for the writer stops the group from taking more units, so
 * that it runs between the group and the units queued after it. Real SQLite files; units queued
 * one at a time ({@link QueuedWriteUnits}), with {@code write.queue=fifo} so that the writer
 * queue's order is the test's.
 */
class GroupCommitAmongTheOtherWritersTest {

    @TempDir
    Path dir;

    private final List<SqliteEngine> engines = new ArrayList<>();
    private final QueuedWriteUnits units = new QueuedWriteUnits();
    /** The unit threads that checked the writer out: one for each transaction. */
    private final List<String> writerCheckouts = new CopyOnWriteArrayList<>();
    /** Each unit thread's BEGIN, COMMIT and ROLLBACK, in order, as it heard them on its own thread. */
    private final Map<String, List<EngineEvent.Type>> heard = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        units.release();
        engines.forEach(SqliteEngine::close);
    }

    private Map<String, Object> config(String name, Object... overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EngineProperties.PATH, dir.resolve(name + ".db").toString());
        properties.put(EngineProperties.WRITE_RETRIES, 0);
        properties.put(EngineProperties.WRITE_QUEUE, "fifo");
        for (int i = 0; i < overrides.length; i += 2) {
            properties.put((String) overrides[i], overrides[i + 1]);
        }
        return properties;
    }

    private SqliteEngine open(String name, Object... overrides) {
        SqliteEngine engine = SqliteEngine.open(EngineSettings.parse(config(name, overrides), name, null), new EngineRegistry());
        engines.add(engine);
        engine.connections().execute(c -> sql(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"));
        engine.addListener(new EngineListener() {
            @Override
            public void checkedOut(EngineEvent event) {
                String thread = Thread.currentThread().getName();
                if (event.message().equals("writer") && thread.startsWith("unit-")) {
                    writerCheckouts.add(thread);
                }
            }

            @Override
            public void begun(EngineEvent event) {
                hear(event);
            }

            @Override
            public void committed(EngineEvent event) {
                hear(event);
            }

            @Override
            public void rolledBack(EngineEvent event) {
                hear(event);
            }
        });
        return engine;
    }

    private void hear(EngineEvent event) {
        String thread = Thread.currentThread().getName();
        if (thread.startsWith("unit-")) {
            heard.computeIfAbsent(thread, t -> new CopyOnWriteArrayList<>()).add(event.type());
        }
    }

    private static Set<Integer> ids(SqliteEngine engine) {
        return engine.connections().read(c -> {
            Set<Integer> ids = new TreeSet<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM t")) {
                while (r.next()) {
                    ids.add(r.getInt(1));
                }
            }
            return ids;
        });
    }

    private static final List<EngineEvent.Type> COMMITTED = List.of(EngineEvent.Type.BEGIN, EngineEvent.Type.COMMIT);
    private static final List<EngineEvent.Type> ROLLED_BACK = List.of(EngineEvent.Type.BEGIN, EngineEvent.Type.ROLLBACK);
    private static final List<EngineEvent.Type> LOST_THEN_COMMITTED = List.of(EngineEvent.Type.BEGIN,
            EngineEvent.Type.ROLLBACK, EngineEvent.Type.BEGIN, EngineEvent.Type.COMMIT);

    @Test
    void everyRunOfAGroupedUnitIsHeardAndCountedAsAUnitAloneIs() throws Exception {
        SqliteEngine engine = open("heard");
        EngineStatus before = engine.status();
        Background<Integer> holder = units.hold(engine, 1);
        Background<Integer> undone = units.queue(engine, 2, c -> {
            insert(c, 2);
            throw new IllegalStateException("the application changed its mind");
        });
        Background<Integer> joined = units.queue(engine, 3, c -> insertReturningCount(c, 3));
        // conflicts with the holder's uncommitted row: SQLite ends the whole transaction
        Background<Integer> ending = units.queue(engine, 4, c -> {
            sql(c, "INSERT OR ROLLBACK INTO t(id, v) VALUES (1, 'conflict')");
            return 0;
        });
        Background<Integer> after = units.queue(engine, 5, c -> insertReturningCount(c, 5));
        units.release();
        for (Background<Integer> committed : List.of(holder, joined, after)) {
            assertThat(committed.result).succeedsWithin(SETTLE);
        }
        assertThat(undone.result).failsWithin(SETTLE).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThat(ending.result).failsWithin(SETTLE).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(EngineException.class);

        assertThat(heard).as("each run begins and ends once, on its own thread")
                .containsEntry("unit-1", LOST_THEN_COMMITTED)
                .containsEntry("unit-2", ROLLED_BACK)
                .containsEntry("unit-3", LOST_THEN_COMMITTED)
                .containsEntry("unit-4", ROLLED_BACK)
                .containsEntry("unit-5", COMMITTED)
                .hasSize(5);
        EngineStatus after5 = engine.status();
        assertThat(after5.commits() - before.commits()).as("one commit for each unit that succeeded").isEqualTo(3);
        assertThat(after5.rollbacks() - before.rollbacks()).as("one rollback for each run that did not commit").isEqualTo(4);
        assertThat(after5.writeUnits().count() - before.writeUnits().count()).as("units, not runs").isEqualTo(5);
        assertThat(ids(engine)).containsExactly(1, 3, 5);
    }

    @Test
    void aLostGroupsUnitsWhoseDeadlinePassedMeanwhileFailByItAndNothingOfThemCommits() throws Exception {
        SqliteEngine engine = open("late", EngineProperties.WRITE_DEADLINE, 1_000);
        Background<Integer> holder = units.hold(engine, 1);
        Background<Integer> joined = units.queue(engine, 2, c -> insertReturningCount(c, 2));
        CompletableFuture<Void> endWhenTold = new CompletableFuture<>();
        Background<Integer> ending = units.queue(engine, 3, c -> {
            endWhenTold.join();
            sql(c, "INSERT OR ROLLBACK INTO t(id, v) VALUES (1, 'conflict')");
            return 0;
        });
        units.release();
        // The next unit queues behind the ending one; when it gives up by its deadline, the
        // deadlines of the units before it, which called earlier, have passed too.
        await().atMost(SETTLE).until(() -> engine.status().writerQueue().waiting() == 0);
        Background<Integer> late = units.queue(engine, 4, c -> insertReturningCount(c, 4));
        assertThat(late.result).failsWithin(SETTLE).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionException.class).withMessageContaining("write.deadline=1000 ms passed");
        endWhenTold.complete(null);

        for (Background<Integer> lost : List.of(holder, joined)) {
            assertThat(lost.result).failsWithin(SETTLE).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ConnectionException.class).withMessageContaining("write.deadline=1000 ms passed");
        }
        assertThat(ending.result).failsWithin(SETTLE).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("SQLite rolled back the whole transaction");
        assertThat(heard.get("unit-1")).as("its run was lost, and it did not begin again").isEqualTo(ROLLED_BACK);
        assertThat(ids(engine)).as("nothing of them").isEmpty();
        engine.connections().execute(c -> insert(c, 9));
        assertThat(ids(engine)).as("the writer serves on").containsExactly(9);
    }

    @Test
    void aMaintenanceStepWaitingForTheWriterEndsTheGroupAndRunsBeforeTheUnitsQueuedAfterIt() throws Exception {
        SqliteEngine engine = open("maintained", "maintenance.checkpointInterval", 1_000,
                "maintenance.idleTruncateAfter", 0, "pragma.wal_autocheckpoint", 0);
        Background<Integer> holder = units.hold(engine, 1);
        Background<Integer> queued = units.queue(engine, 2, c -> insertReturningCount(c, 2));
        // The next scheduled checkpoint finds the writer held, and waits for it behind the unit.
        Optional<CheckpointFigures> beforeIt = engine.status().wal().lastCheckpoint();
        await().atMost(SETTLE).until(() -> engine.status().writerQueue().waiting() == 2);
        CompletableFuture<Optional<CheckpointFigures>> seenByTheQueuedUnit = new CompletableFuture<>();
        Background<Integer> afterIt = units.queue(engine, 3, c -> {
            seenByTheQueuedUnit.complete(engine.status().wal().lastCheckpoint());
            return insertReturningCount(c, 3);
        });
        units.release();
        assertThat(holder.result).succeedsWithin(SETTLE);
        assertThat(queued.result).succeedsWithin(SETTLE);
        assertThat(afterIt.result).succeedsWithin(SETTLE);
        assertThat(writerCheckouts).as("the holder committed alone; the units queued behind it formed a group after the step")
                .containsExactly("unit-1", "unit-2");
        assertThat(seenByTheQueuedUnit).succeedsWithin(SETTLE).satisfies(seen -> assertThat(seen).isPresent().isNotEqualTo(beforeIt));
        assertThat(ids(engine)).containsExactly(1, 2, 3);
    }

    @Test
    void leavingWalModeWaitsForTheGroupAndTheUnitsQueuedBehindItRunOnTheNewPools() throws Exception {
        SqliteEngine engine = open("leaving");
        Background<Integer> holder = units.hold(engine, 1);
        Background<String> queued = units.queue(engine, 2, c -> {
            insert(c, 2);
            return pragma(c, "journal_mode");
        });
        int waiting = engine.status().writerQueue().waiting();
        CompletableFuture<Boolean> switched = CompletableFuture.supplyAsync(() -> engine.reconfigure(
                EngineSettings.parse(config("leaving", "pragma.journal_mode", "DELETE"), "leaving", null)));
        await().atMost(SETTLE).until(() -> engine.status().writerQueue().waiting() == waiting + 1);
        Background<String> afterIt = units.queue(engine, 3, c -> {
            insert(c, 3);
            return pragma(c, "journal_mode");
        });
        units.release();
        assertThat(switched).succeedsWithin(SETTLE).isEqualTo(true);
        assertThat(holder.result).succeedsWithin(SETTLE);
        assertThat(queued.result).succeedsWithin(SETTLE).as("on the new pools").isEqualTo("delete");
        assertThat(afterIt.result).succeedsWithin(SETTLE).isEqualTo("delete");
        assertThat(writerCheckouts).as("the holder committed alone, before the switch").containsExactly("unit-1", "unit-2");
        assertThat(ids(engine)).containsExactly(1, 2, 3);
    }

    @Test
    void aRestoreWaitsForTheGroupAndTheUnitsQueuedBehindItWriteIntoTheRestoredDatabase() throws Exception {
        SqliteEngine engine = open("restored");
        engine.connections().execute(c -> insert(c, 0));
        Path backup = engine.backup(dir.resolve("copies").resolve("restored-0.db")).file();
        Background<Integer> holder = units.hold(engine, 1);
        Background<Integer> queued = units.queue(engine, 2, c -> insertReturningCount(c, 2));
        int waiting = engine.status().writerQueue().waiting();
        CompletableFuture<Void> restored = CompletableFuture.runAsync(() -> engine.restore(backup));
        await().atMost(SETTLE).until(() -> engine.status().writerQueue().waiting() == waiting + 1);
        Background<Integer> afterIt = units.queue(engine, 3, c -> insertReturningCount(c, 3));
        units.release();
        assertThat(restored).succeedsWithin(SETTLE);
        assertThat(holder.result).as("it committed before the restore replaced the database").succeedsWithin(SETTLE);
        assertThat(queued.result).succeedsWithin(SETTLE).as("the backup's row and its own").isEqualTo(2);
        assertThat(afterIt.result).succeedsWithin(SETTLE).isEqualTo(3);
        assertThat(writerCheckouts).containsExactly("unit-1", "unit-2");
        assertThat(ids(engine)).containsExactly(0, 2, 3);
    }
}
