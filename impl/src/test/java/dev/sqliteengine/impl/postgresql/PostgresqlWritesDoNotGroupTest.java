package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Group commit is SQLite's: on PostgreSQL, whose writers run side by side, {@code write.groupCommit}
 * is ignored (and named as such), and every write unit has a transaction of its own on a writer
 * connection of its own, heard and counted one by one, however many units wait at once.
 */
@ExtendWith(PostgresExtension.class)
class PostgresqlWritesDoNotGroupTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    private static void awaitTheOthers(CountDownLatch allInside) {
        try {
            if (!allInside.await(SETTLE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other units never got inside their transactions");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withGroupCommitSetWriteUnitsStillRunSideBySideEachInATransactionOfItsOwn(PostgresDatabase database)
            throws Exception {
        int writers = 4;
        Map<String, Object> config = PgEngines.config(database, "apart", EngineProperties.WRITE_GROUP_COMMIT, 16,
                EngineProperties.WRITE_CONNECTIONS, writers);
        assertThat(PgEngines.settings(config).ignored()).as("one of SQLite's properties").contains("write.groupCommit");
        assertThat(PgEngines.settings(config).asProperties()).doesNotContainKey("write.groupCommit");

        try (SqliteEngine engine = PgEngines.open(config)) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id int PRIMARY KEY, tx bigint)"));
            Map<String, List<EngineEvent.Type>> heard = new ConcurrentHashMap<>();
            List<String> writerCheckouts = new CopyOnWriteArrayList<>();
            engine.addListener(new EngineListener() {
                @Override
                public void checkedOut(EngineEvent event) {
                    if (event.message().equals("writer")) {
                        writerCheckouts.add(Thread.currentThread().getName());
                    }
                }

                @Override
                public void begun(EngineEvent event) {
                    heard.computeIfAbsent(Thread.currentThread().getName(), t -> new CopyOnWriteArrayList<>()).add(event.type());
                }

                @Override
                public void committed(EngineEvent event) {
                    heard.computeIfAbsent(Thread.currentThread().getName(), t -> new CopyOnWriteArrayList<>()).add(event.type());
                }
            });
            EngineStatus before = engine.status();

            // Each unit waits inside its transaction until all of them are inside theirs: grouped,
            // the later ones would wait for the first to end, and none would get there.
            CountDownLatch allInside = new CountDownLatch(writers);
            List<CompletableFuture<Long>> units = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int id = i;
                CompletableFuture<Long> unit = new CompletableFuture<>();
                Thread thread = new Thread(() -> {
                    try {
                        unit.complete(engine.connections().write(c -> {
                            long tx;
                            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT txid_current()")) {
                                r.next();
                                tx = r.getLong(1);
                            }
                            try (PreparedStatement s = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                                s.setInt(1, id);
                                s.setLong(2, tx);
                                s.executeUpdate();
                            }
                            allInside.countDown();
                            awaitTheOthers(allInside);
                            return tx;
                        }));
                    } catch (Throwable e) {
                        unit.completeExceptionally(e);
                    }
                }, "unit-" + i);
                thread.start();
                units.add(unit);
            }

            List<Long> transactions = new ArrayList<>();
            for (CompletableFuture<Long> unit : units) {
                assertThat(unit).succeedsWithin(SETTLE);
                transactions.add(unit.join());
            }
            assertThat(transactions).as("a transaction each").doesNotHaveDuplicates().hasSize(writers);
            assertThat(writerCheckouts).as("a writer connection each").hasSize(writers).doesNotHaveDuplicates();
            assertThat(heard).hasSize(writers)
                    .allSatisfy((thread, types) -> assertThat(types).containsExactly(EngineEvent.Type.BEGIN, EngineEvent.Type.COMMIT));
            EngineStatus after = engine.status();
            assertThat(after.commits() - before.commits()).isEqualTo(writers);
            assertThat(after.settings()).doesNotContainKey("write.groupCommit");
            assertThat(engine.connections().<Long>read(c -> {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(DISTINCT tx) FROM t")) {
                    r.next();
                    return r.getLong(1);
                }
            })).as("every row committed, each by its own transaction").isEqualTo(writers);
        }
    }
}
