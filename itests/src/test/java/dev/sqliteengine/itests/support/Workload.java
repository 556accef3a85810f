package dev.sqliteengine.itests.support;

import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady load on one engine: worker threads that run read units and one-row write units through
 * its {@link ConnectionManager} until told to stop. Every write that returned is remembered as
 * acknowledged, and every read checks that the worker's acknowledged rows are visible to it. What
 * goes wrong is collected, never thrown, so the test sees all of it.
 */
public final class Workload implements AutoCloseable {

    /** The table the load writes: one row per acknowledged write. */
    public static final String TABLE = "load";

    private final ConnectionManager manager;
    private final int threads;
    private final boolean endOnConnectionException;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong operations = new AtomicLong();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<ConnectionException> endings = new CopyOnWriteArrayList<>();
    private final List<Future<?>> workers = new ArrayList<>();
    private ExecutorService executor;

    /**
     * @param endOnConnectionException whether a worker ends at its first
     *        {@link ConnectionException} (the engine went away), which is then recorded as its
     *        ending rather than as a failure; any other exception also ends it, as a failure
     */
    private Workload(ConnectionManager manager, int threads, boolean endOnConnectionException) {
        this.manager = manager;
        this.threads = threads;
        this.endOnConnectionException = endOnConnectionException;
    }

    /** A load whose workers go on through failures until {@link #stop(Duration)}. */
    public static Workload steady(ConnectionManager manager, int threads) {
        return new Workload(manager, threads, false);
    }

    /** A load whose workers each end at their first exception: the way callers meet an engine that goes away. */
    public static Workload untilTheEngineGoes(ConnectionManager manager, int threads) {
        return new Workload(manager, threads, true);
    }

    /** Creates the table the load writes. */
    public static void createTable(ConnectionManager manager) {
        manager.execute(c -> c.createStatement().executeUpdate(
                "CREATE TABLE IF NOT EXISTS " + TABLE + "(worker INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(worker, seq))"));
    }

    public Workload start() {
        executor = Executors.newFixedThreadPool(threads, new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "itest-load-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            }
        });
        for (int w = 0; w < threads; w++) {
            int worker = w;
            workers.add(executor.submit(() -> work(worker)));
        }
        return this;
    }

    private void work(int worker) {
        AtomicInteger written = new AtomicInteger();
        for (int seq = 0; !stop.get(); seq++) {
            try {
                if (seq % 3 == 0) {
                    int row = seq;
                    manager.write(c -> {
                        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + "(worker, seq) VALUES (?, ?)")) {
                            s.setInt(1, worker);
                            s.setInt(2, row);
                            return s.executeUpdate();
                        }
                    });
                    acknowledged.add(key(worker, row));
                    written.incrementAndGet();
                } else {
                    long seen = manager.read(c -> ownRows(c, worker));
                    if (seen < written.get()) {
                        throw new AssertionError("worker " + worker + " read " + seen + " of its rows after "
                                + written.get() + " acknowledged writes");
                    }
                }
                operations.incrementAndGet();
            } catch (ConnectionException e) {
                if (endOnConnectionException) {
                    endings.add(e);
                    return;
                }
                failures.add(e);
            } catch (Throwable e) {
                failures.add(e);
                if (endOnConnectionException) {
                    return;
                }
            }
        }
    }

    private static long ownRows(java.sql.Connection c, int worker) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + TABLE + " WHERE worker = ?")) {
            s.setInt(1, worker);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static String key(Object worker, Object seq) {
        return worker + ":" + seq;
    }

    /** @return units of work that completed so far */
    public long operations() {
        return operations.get();
    }

    /** Waits until the load completed {@code units} more units of work than when this was called. */
    public void awaitProgress(int units) {
        long before = operations();
        await().atMost(Engines.TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> operations() >= before + units || !failures.isEmpty()
                || workers.stream().allMatch(Future::isDone));
        if (operations() < before + units) {
            throw new AssertionError("the load made no progress; failures: " + describe(failures));
        }
    }

    /**
     * Tells the workers to stop and waits for each, at most {@code bound} per worker.
     *
     * @throws AssertionError naming the workers that did not finish in time (they hang)
     */
    public void stop(Duration bound) throws InterruptedException {
        stop.set(true);
        join(bound);
    }

    /** Waits for each worker to end by itself, at most {@code bound} per worker; then stops the rest. */
    public void join(Duration bound) throws InterruptedException {
        List<String> hanging = new ArrayList<>();
        try {
            for (int w = 0; w < workers.size(); w++) {
                try {
                    workers.get(w).get(bound.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    hanging.add("itest-load-" + w);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
        } finally {
            stop.set(true);
        }
        if (!hanging.isEmpty()) {
            throw new AssertionError("workers did not finish within " + bound + ": " + hanging
                    + "; their stacks: " + stacks());
        }
    }

    private static String stacks() {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("itest-load-")) {
                out.append('\n').append(thread.getName());
                for (StackTraceElement element : stack) {
                    out.append("\n\tat ").append(element);
                }
            }
        });
        return out.toString();
    }

    /** @return {@code worker:seq} of every write that returned to its caller */
    public Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /** @return {@code worker:seq} of every row in the table, read in a read unit */
    public static Set<String> rows(ConnectionManager manager) {
        return manager.read(Workload::rows);
    }

    /** @return {@code worker:seq} of every row in the table */
    public static Set<String> rows(java.sql.Connection c) throws SQLException {
        Set<String> rows = new java.util.HashSet<>();
        try (var s = c.createStatement(); ResultSet r = s.executeQuery("SELECT worker, seq FROM " + TABLE)) {
            while (r.next()) {
                rows.add(key(r.getInt(1), r.getInt(2)));
            }
        }
        return rows;
    }

    /** @return what went wrong in the workers, other than the endings of an engine that went away */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** @return the {@link ConnectionException}s that ended workers (only with {@link #untilTheEngineGoes}) */
    public List<ConnectionException> endings() {
        return List.copyOf(endings);
    }

    /** @return the failures with their stack traces (the first few in full), for an assertion message */
    public static String describe(List<? extends Throwable> failures) {
        StringWriter out = new StringWriter();
        PrintWriter print = new PrintWriter(out);
        print.println(failures.size() + " failures");
        for (int i = 0; i < failures.size(); i++) {
            if (i < 3) {
                failures.get(i).printStackTrace(print);
            } else {
                print.println(failures.get(i));
            }
        }
        print.flush();
        return out.toString();
    }

    @Override
    public void close() {
        stop.set(true);
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
