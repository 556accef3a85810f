package dev.sqliteengine.itests.consumer;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * A consumer of one engine, written as an application would write it: static references to the
 * engine's three services (which engine: the targets {@code engine.target},
 * {@code connections.target} and {@code dataSource.target} of its configuration, PID
 * {@value #PID}), and, from activation to deactivation, {@link Config#threads()} threads that run
 * units without a pause: write units and read units through the {@link ConnectionManager}, and
 * transactions through the {@link DataSource}. A read checks that the thread's acknowledged
 * writes are there. Whatever fails is kept, never thrown, so a test sees every failure.
 * <p>
 * Static references: should any of the three services go away or be replaced, DS deactivates
 * this instance and makes a new one. So one instance across a run of updates proves the services
 * stayed the same objects. Deactivation stops the threads and waits for each to finish the unit it
 * is in, which the engine, still open while its services are being unregistered, completes.
 */
// immediate: it runs units from the moment its references are satisfied, not from when someone
// first gets its service
@Component(service = UnitRunner.class, configurationPid = UnitRunner.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
public final class UnitRunner {

    /** The configuration PID: its targets choose the engine. */
    public static final String PID = "dev.sqliteengine.itests.consumer";
    /** The table the units write, one row per acknowledged write: created on activation. */
    public static final String TABLE = "consumer_units";

    /** The consumer's configuration. */
    public @interface Config {
        /** @return how many threads run units */
        int threads() default 4;
    }

    private final Engine engine;
    private final ConnectionManager connections;
    private final DataSource dataSource;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong units = new AtomicLong();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @Activate
    public UnitRunner(@Reference(name = "engine") Engine engine, @Reference(name = "connections") ConnectionManager connections,
            @Reference(name = "dataSource") DataSource dataSource, Config config) {
        this.engine = engine;
        this.connections = connections;
        this.dataSource = dataSource;
        connections.execute(c -> c.createStatement().execute("CREATE TABLE IF NOT EXISTS " + TABLE
                + " (thread int NOT NULL, seq int NOT NULL, via text NOT NULL, PRIMARY KEY (thread, seq))"));
        for (int t = 0; t < config.threads(); t++) {
            int thread = t;
            Thread runner = new Thread(() -> run(thread), "consumer-units-" + t);
            runner.setDaemon(true);
            threads.add(runner);
        }
        threads.forEach(Thread::start);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }

    /** Units one after the other: a write, a read that checks the writes, a DataSource transaction. */
    private void run(int thread) {
        // This thread's rows continue after those of an earlier instance on the same table
        int seq = connections.read(c -> count(c, thread, "max(seq) + 1"));
        long written = connections.read(c -> count(c, thread, "count(*)"));
        for (int n = 0; !stop.get(); n++) {
            try {
                int row = seq++;
                switch (n % 3) {
                    case 0 -> {
                        connections.write(c -> insert(c, thread, row, "unit"));
                        written++;
                    }
                    case 1 -> {
                        long seen = connections.read(c -> count(c, thread, "count(*)"));
                        if (seen < written) {
                            throw new AssertionError("thread " + thread + " read " + seen + " of its " + written + " rows");
                        }
                    }
                    default -> {
                        try (Connection c = dataSource.getConnection()) {
                            c.setAutoCommit(false);
                            insert(c, thread, row, "dataSource");
                            c.commit();
                        }
                        written++;
                    }
                }
                units.incrementAndGet();
            } catch (Throwable e) {
                failures.add(e);
            }
        }
    }

    private static int insert(Connection c, int thread, int seq, String via) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " (thread, seq, via) VALUES (?, ?, ?)")) {
            s.setInt(1, thread);
            s.setInt(2, seq);
            s.setString(3, via);
            return s.executeUpdate();
        }
    }

    private static int count(Connection c, int thread, String aggregate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(" + aggregate + ", 0) FROM " + TABLE + " WHERE thread = ?")) {
            s.setInt(1, thread);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** @return the units that completed so far */
    public long units() {
        return units.get();
    }

    /** @return what failed so far, in the order it failed */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** @return the Engine service object this instance was given */
    public Engine engine() {
        return engine;
    }

    /** @return the ConnectionManager service object this instance was given */
    public ConnectionManager connections() {
        return connections;
    }

    /** @return the DataSource service object this instance was given */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return whether its threads still run: false once deactivated */
    public boolean running() {
        return !stop.get();
    }
}
