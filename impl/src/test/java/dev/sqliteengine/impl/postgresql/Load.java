package dev.sqliteengine.impl.postgresql;

import static org.awaitility.Awaitility.await;

import dev.sqliteengine.impl.engine.SqliteEngine;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that use an engine with table t until stopped, counting what they did, where their
 * reads were served, and every failure: writers insert rows, readers run read units and read-only
 * {@code DataSource} transactions in turn (or read units only).
 */
final class Load implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong replicaReads = new AtomicLong();
    private final AtomicLong primaryReads = new AtomicLong();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ExecutorService threads;
    private final List<Future<?>> workers = new ArrayList<>();

    private Load(int count) {
        threads = Executors.newFixedThreadPool(count);
    }

    /** Half the threads write, half read (read units and read-only DataSource transactions in turn). */
    static Load start(SqliteEngine engine, int count) {
        Load load = new Load(count);
        AtomicLong ids = new AtomicLong();
        for (int t = 0; t < count; t++) {
            boolean writer = t % 2 == 0;
            load.run(() -> {
                long n = 0;
                while (load.running.get()) {
                    if (writer) {
                        long id = ids.incrementAndGet();
                        engine.connections().execute(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (" + id + ")"));
                    } else if (n++ % 2 == 0) {
                        load.served(ServedBy.aReadUnit(engine));
                    } else {
                        try (Connection c = engine.dataSource().getConnection()) {
                            c.setReadOnly(true);
                            load.served(ServedBy.of(c));
                        }
                    }
                    load.operations.incrementAndGet();
                }
                return null;
            });
        }
        return load;
    }

    /** Every thread runs read units. */
    static Load reads(SqliteEngine engine, int count) {
        Load load = new Load(count);
        for (int t = 0; t < count; t++) {
            load.run(() -> {
                while (load.running.get()) {
                    load.served(ServedBy.aReadUnit(engine));
                    load.operations.incrementAndGet();
                }
                return null;
            });
        }
        return load;
    }

    private void run(java.util.concurrent.Callable<Void> loop) {
        workers.add(threads.submit(() -> {
            while (running.get()) {
                try {
                    loop.call();
                } catch (Exception | Error e) {
                    failures.add(e);
                    e.printStackTrace();
                }
            }
            return null;
        }));
    }

    private void served(ServedBy by) {
        (by.replica() ? replicaReads : primaryReads).incrementAndGet();
    }

    /** Waits until the threads did {@code more} operations more than now. */
    void awaitMore(long more) {
        long target = operations.get() + more;
        await().atMost(Duration.ofMinutes(2)).until(() -> operations.get() >= target || !failures.isEmpty());
    }

    /** @return reads served by a replica so far */
    long replicaReads() {
        return replicaReads.get();
    }

    /** @return reads served by the primary so far */
    long primaryReads() {
        return primaryReads.get();
    }

    List<Throwable> failures() {
        return failures;
    }

    /** Stops the threads and waits for them. */
    void stop() throws Exception {
        running.set(false);
        for (Future<?> f : workers) {
            f.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();
    }

    @Override
    public void close() throws Exception {
        if (running.get()) {
            stop();
        }
    }
}
