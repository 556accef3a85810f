package dev.sqliteengine.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jOOQ over an engine, the two ways docs/using-it.md names: on the engine's {@code DataSource}, where
 * jOOQ runs its own transactions ({@code transactionResult}, nested ones as savepoints), and on
 * the connection of a unit of work, where the engine owns the transaction.
 */
class JooqTest {

    private static final Table<?> COUNTER = table("counter");
    private static final Field<Integer> ID = field("id", Integer.class);
    private static final Field<Integer> V = field("v", Integer.class);

    @TempDir
    Path dir;

    Engine engine;
    DSLContext db;

    @BeforeEach
    void open() {
        EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
        engine = factory.create(Map.of("name", "jooq", "path", dir.resolve("jooq.db").toString()));
        db = DSL.using(engine.dataSource(), SQLDialect.SQLITE);
        db.execute("CREATE TABLE counter(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
        db.insertInto(COUNTER, ID, V).values(1, 0).execute();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aJooqTransactionCommitsAndAFailingOneRollsBack() {
        db.transaction(cfg -> DSL.using(cfg).update(COUNTER).set(V, V.plus(1)).where(ID.eq(1)).execute());
        assertThatThrownBy(() -> db.transaction(cfg -> {
            DSL.using(cfg).update(COUNTER).set(V, V.plus(100)).where(ID.eq(1)).execute();
            throw new IllegalStateException("changed my mind");
        })).hasMessageContaining("changed my mind");
        assertThat(value()).isEqualTo(1);
    }

    @Test
    void aNestedJooqTransactionThatFailsUndoesOnlyItsOwnWork() {
        db.transaction(outer -> {
            DSL.using(outer).update(COUNTER).set(V, V.plus(1)).where(ID.eq(1)).execute();
            try {
                DSL.using(outer).transaction(inner -> {
                    DSL.using(inner).update(COUNTER).set(V, V.plus(100)).where(ID.eq(1)).execute();
                    throw new IllegalStateException("inner fails");
                });
            } catch (IllegalStateException expected) {
                // the savepoint is rolled back, the outer transaction goes on
            }
            DSL.using(outer).update(COUNTER).set(V, V.plus(1)).where(ID.eq(1)).execute();
        });
        assertThat(value()).isEqualTo(2);
    }

    @Test
    void jooqTransactionsFromEightThreadsLoseNoUpdate() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    try {
                        db.transaction(cfg -> {
                            DSLContext tx = DSL.using(cfg);
                            int v = tx.select(V).from(COUNTER).where(ID.eq(1)).fetchOne(V);
                            tx.update(COUNTER).set(V, v + 1).where(ID.eq(1)).execute();
                        });
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        threads.shutdown();
        assertThat(errors).isEmpty();
        assertThat(value()).isEqualTo(400);
    }

    @Test
    void jooqRunsInsideAUnitOfWork() {
        engine.connections().execute(c -> DSL.using(c, SQLDialect.SQLITE).update(COUNTER).set(V, 7).where(ID.eq(1)).execute());
        int read = engine.connections().read(c -> DSL.using(c, SQLDialect.SQLITE).select(V).from(COUNTER).fetchOne(V));
        assertThat(read).isEqualTo(7);
    }

    private int value() {
        return db.select(V).from(COUNTER).where(ID.eq(1)).fetchOne(V);
    }
}
