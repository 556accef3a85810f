package dev.sqliteengine.itests;

import static dev.sqliteengine.itests.support.Engines.filter;
import static dev.sqliteengine.itests.support.Engines.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.EngineEvents;
import dev.sqliteengine.itests.support.Engines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The {@code DataSource} service keeps the engine's transaction discipline while the
 * configuration is updated live. Plain JDBC callers of the service (read-then-update
 * transactions, read-only transactions, auto-commit inserts) run next to write units of the
 * {@code ConnectionManager}, while Config Admin updates alternate between an in-place change
 * (pool sizes) and one that builds a new pool generation (a pragma). Nothing may fail: the
 * DataSource's writers wait their turn like write units do instead of meeting SQLITE_BUSY, no
 * committed increment and no acknowledged insert is lost, read-only transactions see one
 * snapshot, and the service stays the same registration throughout. Busy timeout and connection
 * timeout are the engine's defaults.
 */
class DataSourceTransactionsTest {

    private static final String NAME = "transactions";
    private static final int DATA_SOURCE_THREADS = 8;
    private static final int MANAGER_THREADS = 2;
    private static final int UPDATES = 20;
    /**
     * The load runs until it is told to stop, after the last update, and ends here whatever
     * happens; the test reports what it saw until then. (A fixed number of operations per thread
     * ran out before the last update once the statement cache made each operation faster.)
     */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Enough for a thread to finish its operation: the connection timeout (30 s) and busy_timeout (5 s). */
    private static final Duration JOIN = Duration.ofSeconds(60);

    /** What the load does; the first three through the DataSource, the last through the ConnectionManager. */
    enum Kind {
        READ_THEN_UPDATE, READ_ONLY, INSERT, MANAGER_WRITE
    }

    private static final Kind[] DATA_SOURCE_KINDS = {Kind.READ_THEN_UPDATE, Kind.READ_ONLY, Kind.INSERT};

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @TempDir
    Path dir;

    Engines engines;
    ServiceReference<DataSource> dataSourceReference;
    ServiceListener listener;
    Load load;

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (load != null) {
            load.executor.shutdownNow();
        }
        if (listener != null) {
            context.removeServiceListener(listener);
        }
        if (dataSourceReference != null) {
            context.ungetService(dataSourceReference);
        }
        engines.close();
    }

    @Test
    void twenty_live_updates_under_jdbc_transactions_lose_nothing_fail_nothing_and_keep_the_service() throws Exception {
        Configuration configuration = engines.configure(NAME, EngineProperties.PATH, dir.resolve("transactions.db").toString(),
                EngineProperties.CONNECTION_MAX, 8, "pragma.cache_size", -64000);
        Engine engine = engines.service(Engine.class, NAME);
        ConnectionManager manager = engines.service(ConnectionManager.class, NAME);
        String dataSourceFilter = filter(EngineProperties.DATA_SOURCE_NAME, NAME);
        dataSourceReference = engines.referenceMatching(DataSource.class, dataSourceFilter);
        long dataSourceId = serviceId(dataSourceReference);
        DataSource dataSource = context.getService(dataSourceReference);
        assertThat(dataSource).as("the DataSource service object").isNotNull();

        List<ServiceEvent> dataSourceEvents = new CopyOnWriteArrayList<>();
        listener = dataSourceEvents::add;
        context.addServiceListener(listener,
                "(&(" + Constants.OBJECTCLASS + "=" + DataSource.class.getName() + ")" + dataSourceFilter + ")");
        EngineEvents events = new EngineEvents();
        engine.addListener(events);

        manager.execute(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE counter(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
                s.executeUpdate("INSERT INTO counter(id, v) VALUES (1, 0)");
                s.executeUpdate("CREATE TABLE inserted(worker INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(worker, seq))");
            }
        });

        List<String> applied = new ArrayList<>();
        boolean ranThroughEveryUpdate;
        load = new Load(dataSource, manager).start();
        try {
            load.awaitProgress(2);
            for (int i = 0; i < UPDATES; i++) {
                String key;
                int value;
                if (i % 2 == 0) { // in place: the pools are resized
                    key = EngineProperties.CONNECTION_MAX;
                    value = (i / 2) % 2 == 0 ? 4 : 8;
                } else { // a new pool generation: every connection is replaced
                    key = "pragma.cache_size";
                    value = (i / 2) % 2 == 0 ? -32000 : -64000;
                }
                engines.update(configuration, key, value);
                applied.add("#" + i + " " + key + "=" + value);
                events.awaitCount(EngineEvent.Type.RECONFIGURED, i + 1);
                assertThat(String.valueOf(engine.status().settings().get(key))).as("%s after update #%d", key, i)
                        .isEqualTo(String.valueOf(value));
                load.awaitProgress(2);
            }
            ranThroughEveryUpdate = load.running.get() == DATA_SOURCE_THREADS + MANAGER_THREADS;
        } finally {
            load.stop();
        }

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(load.failures).as("operations that failed during %s", applied)
                .withFailMessage("%s", load.describeFailures()).isEmpty();
        softly.assertThat(ranThroughEveryUpdate).as("every thread was still working when the last update took effect: %s",
                load.progress()).isTrue();
        for (Kind kind : Kind.values()) {
            softly.assertThat(load.succeeded.get(kind).sum()).as("%s operations that succeeded: %s", kind, load.progress())
                    .isPositive();
        }

        softly.assertThat(ofType(dataSourceEvents, ServiceEvent.UNREGISTERING)).as("DataSource UNREGISTERING events")
                .isZero();
        softly.assertThat(ofType(dataSourceEvents, ServiceEvent.REGISTERED)).as("DataSource REGISTERED events").isZero();
        softly.assertThat(serviceId(engines.referenceMatching(DataSource.class, dataSourceFilter)))
                .as("the DataSource's service.id").isEqualTo(dataSourceId);

        long counter = ((Number) single(manager, "SELECT v FROM counter WHERE id = 1")).longValue();
        softly.assertThat(counter).as("the counter against the committed increments (%d through the DataSource,"
                + " %d write units; %d commit() calls threw, so their increments may or may not be in)",
                load.committedThroughDataSource.sum(), load.succeeded.get(Kind.MANAGER_WRITE).sum(),
                load.commitsInDoubt.sum()).isEqualTo(load.committedThroughDataSource.sum()
                        + load.succeeded.get(Kind.MANAGER_WRITE).sum());

        Set<String> missing = new HashSet<>(load.acknowledged);
        missing.removeAll(manager.read(DataSourceTransactionsTest::insertedRows));
        softly.assertThat(missing).as("acknowledged inserts missing from the table (of %d acknowledged)",
                load.acknowledged.size()).isEmpty();
        softly.assertThat(single(manager, "PRAGMA integrity_check")).as("PRAGMA integrity_check").isEqualTo("ok");
        softly.assertThat(engine.status().reconfigurations()).as("reconfigurations").isEqualTo(UPDATES);
        softly.assertAll();
    }

    static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    static long ofType(List<ServiceEvent> events, int type) {
        return events.stream().filter(e -> e.getType() == type).count();
    }

    static Set<String> insertedRows(Connection c) throws SQLException {
        Set<String> rows = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT worker, seq FROM inserted")) {
            while (r.next()) {
                rows.add(r.getInt(1) + ":" + r.getInt(2));
            }
        }
        return rows;
    }

    /** A failed operation: what it was, which thread ran it, and what it threw. */
    record Failure(Kind kind, String where, Throwable error) {}

    /**
     * The threads: {@value #DATA_SOURCE_THREADS} plain JDBC callers of the DataSource, each
     * cycling through its three kinds of operation, and {@value #MANAGER_THREADS} callers of
     * write units. Everything that goes wrong is collected, never thrown.
     */
    static final class Load {

        final DataSource dataSource;
        final ConnectionManager manager;
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger running = new AtomicInteger();
        final Map<Kind, LongAdder> finished = new EnumMap<>(Kind.class);
        final Map<Kind, LongAdder> succeeded = new EnumMap<>(Kind.class);
        final LongAdder committedThroughDataSource = new LongAdder();
        /** commit() threw: SQLite may have committed (sqlite-jdbc begins the next transaction right after). */
        final LongAdder commitsInDoubt = new LongAdder();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
        final ExecutorService executor = Executors.newFixedThreadPool(DATA_SOURCE_THREADS + MANAGER_THREADS, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });

        Load(DataSource dataSource, ConnectionManager manager) {
            this.dataSource = dataSource;
            this.manager = manager;
            for (Kind kind : Kind.values()) {
                finished.put(kind, new LongAdder());
                succeeded.put(kind, new LongAdder());
            }
        }

        Load start() {
            for (int w = 0; w < DATA_SOURCE_THREADS; w++) {
                int worker = w;
                running.incrementAndGet();
                executor.execute(() -> run("itest-datasource-" + worker, i -> DATA_SOURCE_KINDS[(worker + i) % 3],
                        (kind, i) -> dataSourceOperation(kind, worker, i)));
            }
            for (int w = 0; w < MANAGER_THREADS; w++) {
                int worker = w;
                running.incrementAndGet();
                executor.execute(() -> run("itest-write-unit-" + worker, i -> Kind.MANAGER_WRITE, (kind, i) -> writeUnit()));
            }
            return this;
        }

        interface Operation {
            void run(Kind kind, int seq) throws Exception;
        }

        private void run(String thread, java.util.function.IntFunction<Kind> kinds, Operation operation) {
            Thread.currentThread().setName(thread);
            try {
                for (int i = 0; !stop.get() && System.nanoTime() < deadline; i++) {
                    Kind kind = kinds.apply(i);
                    try {
                        operation.run(kind, i);
                        succeeded.get(kind).increment();
                    } catch (Throwable e) {
                        failures.add(new Failure(kind, thread + " #" + i, e));
                    } finally {
                        finished.get(kind).increment();
                    }
                }
            } finally {
                running.decrementAndGet();
            }
        }

        private void dataSourceOperation(Kind kind, int worker, int seq) throws SQLException {
            try (Connection c = dataSource.getConnection()) {
                if (!c.getAutoCommit() || c.isReadOnly()) {
                    throw new AssertionError("a connection was handed out with autoCommit=" + c.getAutoCommit()
                            + ", readOnly=" + c.isReadOnly() + ": the previous user's state leaked");
                }
                switch (kind) {
                    case READ_THEN_UPDATE -> readThenUpdate(c);
                    case READ_ONLY -> readOnly(c);
                    case INSERT -> insert(c, worker, seq);
                    default -> throw new IllegalArgumentException(kind.name());
                }
            }
        }

        /** The classic lost-update shape: read the value, write it back plus one, commit. */
        private void readThenUpdate(Connection c) throws SQLException {
            c.setAutoCommit(false);
            try {
                long v = ((Number) single(c, "SELECT v FROM counter WHERE id = 1")).longValue();
                try (PreparedStatement s = c.prepareStatement("UPDATE counter SET v = ? WHERE id = 1")) {
                    s.setLong(1, v + 1);
                    if (s.executeUpdate() != 1) {
                        throw new AssertionError("the counter row is gone");
                    }
                }
            } catch (Throwable e) {
                rollbackQuietly(c, e);
                throw e;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                commitsInDoubt.increment();
                rollbackQuietly(c, e);
                throw e;
            }
            committedThroughDataSource.increment();
        }

        /** Two counts in one read-only transaction: one snapshot, so they agree while inserts go on. */
        private static void readOnly(Connection c) throws SQLException {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            long first;
            long second;
            try {
                first = Engines.count(c, "inserted");
                second = Engines.count(c, "inserted");
                c.commit();
            } catch (Throwable e) {
                rollbackQuietly(c, e);
                throw e;
            }
            if (first != second) {
                throw new AssertionError("one read-only transaction counted " + first + " rows, then " + second);
            }
        }

        private void insert(Connection c, int worker, int seq) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO inserted(worker, seq) VALUES (?, ?)")) {
                s.setInt(1, worker);
                s.setInt(2, seq);
                s.executeUpdate();
            }
            acknowledged.add(worker + ":" + seq); // auto-commit: executeUpdate returned, so it is committed
        }

        private void writeUnit() {
            manager.execute(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE counter SET v = v + 1 WHERE id = 1");
                }
            });
        }

        private static void rollbackQuietly(Connection c, Throwable why) {
            try {
                c.rollback();
            } catch (SQLException | RuntimeException e) {
                why.addSuppressed(e);
            }
        }

        /** Waits until every kind of operation finished {@code units} more times, or the load ended. */
        void awaitProgress(int units) {
            Map<Kind, Long> before = counts(finished);
            await().atMost(DEADLINE.plus(JOIN)).pollInterval(Duration.ofMillis(10)).until(() -> running.get() == 0
                    || before.entrySet().stream().allMatch(e -> finished.get(e.getKey()).sum() >= e.getValue() + units));
        }

        /** Tells the threads to stop and waits for them to finish their operation in progress. */
        void stop() throws InterruptedException {
            stop.set(true);
            executor.shutdown();
            if (!executor.awaitTermination(JOIN.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(running.get() + " load threads did not finish within " + JOIN + ": "
                        + stacks() + "\n" + describeFailures());
            }
        }

        String progress() {
            return "finished " + counts(finished) + ", succeeded " + counts(succeeded);
        }

        private static Map<Kind, Long> counts(Map<Kind, LongAdder> adders) {
            Map<Kind, Long> out = new EnumMap<>(Kind.class);
            adders.forEach((kind, adder) -> out.put(kind, adder.sum()));
            return out;
        }

        /** @return the failures grouped by kind and exception (digits masked), with a stack trace of each group's first */
        String describeFailures() {
            Map<String, List<Failure>> groups = new LinkedHashMap<>();
            for (Failure f : failures) {
                String message = String.valueOf(f.error().getMessage()).replaceAll("\\d+", "N");
                groups.computeIfAbsent(f.kind() + ": " + f.error().getClass().getName() + ": " + message,
                        k -> new ArrayList<>()).add(f);
            }
            StringWriter out = new StringWriter();
            PrintWriter print = new PrintWriter(out);
            print.println(failures.size() + " failed operations in " + groups.size() + " groups (" + progress() + ")");
            groups.forEach((group, list) -> print.println("  " + list.size() + " x " + group));
            groups.forEach((group, list) -> {
                print.println("--- first of: " + group + " (" + list.get(0).where() + ")");
                list.get(0).error().printStackTrace(print);
            });
            print.flush();
            return out.toString();
        }

        private static String stacks() {
            StringBuilder out = new StringBuilder();
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                if (thread.getName().startsWith("itest-datasource-") || thread.getName().startsWith("itest-write-unit-")) {
                    out.append('\n').append(thread.getName());
                    for (StackTraceElement element : stack) {
                        out.append("\n\tat ").append(element);
                    }
                }
            });
            return out.toString();
        }
    }
}
