package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.sqliteengine.impl.engine.SqliteEngineTest.count;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.SqlWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Write units on threads of their own, for the tests of group commit: one unit holds the writer
 * until the test releases it, and the others are queued behind it one at a time, each awaited in
 * the writer queue ({@code writerQueue().waiting()}), so the order and the grouping are the
 * test's, not the scheduler's. Units run on threads named {@code unit-<id>}. Rows go to a table
 * {@code t(id INTEGER PRIMARY KEY, v TEXT)}.
 */
final class QueuedWriteUnits {

    static final Duration SETTLE = Duration.ofSeconds(30);

    private final CountDownLatch release = new CountDownLatch(1);

    /** A unit on its own thread, with its result or the failure it threw. */
    static final class Background<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();

        Background(String name, SqlWork<T> unit, Engine engine) {
            Thread thread = new Thread(() -> {
                try {
                    result.complete(engine.connections().write(unit));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Lets the holding unit finish; once is enough. */
    void release() {
        release.countDown();
    }

    /** Unit {@code id} inserts its row, then holds the writer until {@link #release()}. */
    Background<Integer> hold(Engine engine, int id) throws InterruptedException {
        return hold(engine, id, new AtomicInteger());
    }

    /** @param runs counts how many times the holding unit's work ran */
    Background<Integer> hold(Engine engine, int id, AtomicInteger runs) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Background<Integer> holder = new Background<>("unit-" + id, c -> {
            runs.incrementAndGet();
            insert(c, id);
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while holding the writer", e);
            }
            return id;
        }, engine);
        assertThat(holding.await(10, TimeUnit.SECONDS)).as("the holder runs").isTrue();
        return holder;
    }

    /** Starts unit {@code id} on its own thread and waits until it is queued behind the writers before it. */
    <T> Background<T> queue(Engine engine, int id, SqlWork<T> unit) {
        int before = engine.status().writerQueue().waiting();
        Background<T> b = new Background<>("unit-" + id, unit, engine);
        await().atMost(SETTLE).until(() -> engine.status().writerQueue().waiting() == before + 1);
        return b;
    }

    /** Inserts {@code id}; @return the rows the unit sees then */
    static int insertReturningCount(Connection c, int id) throws SQLException {
        insert(c, id);
        return count(c, "t");
    }

    static void insert(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO t(id, v) VALUES (?, ?)")) {
            s.setInt(1, id);
            s.setString(2, "row " + id);
            s.executeUpdate();
        }
    }
}
