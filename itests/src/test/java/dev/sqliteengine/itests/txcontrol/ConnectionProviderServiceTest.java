package dev.sqliteengine.itests.txcontrol;

import static dev.sqliteengine.itests.support.Engines.TIMEOUT;
import static dev.sqliteengine.itests.support.Engines.count;
import static dev.sqliteengine.itests.support.Engines.filter;
import static dev.sqliteengine.itests.support.Engines.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.itests.txcontrol.TransactionControlTest.ReadOnlyScopeResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.transaction.control.ScopedWorkException;
import org.osgi.service.transaction.control.TransactionControl;
import org.osgi.service.transaction.control.TransactionException;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProvider;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The {@code JDBCConnectionProvider} service that the tx-control bundle registers for every
 * engine, used the way docs/transaction-control.md shows it: found by
 * {@code (engine.name=…)}, {@code getResource(txControl)}, scopes. Runs in {@code txcontrol.bndrun}
 * next to {@link TransactionControlTest}, which wires the same by hand.
 * <p>
 * The engine's connection timeout is short ({@value #WRITER_TIMEOUT_MS} ms), so that a write unit
 * that would wait for a scope holding the writer fails instead of waiting.
 */
class ConnectionProviderServiceTest {

    static final String NAME = "orders";
    static final long WRITER_TIMEOUT_MS = 2_000;
    static final int THREADS = 8;
    static final int INCREMENTS_PER_THREAD = 40;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    TransactionControl txControl;

    @TempDir
    Path dir;

    Engines engines;
    Configuration configuration;
    Engine engine;
    ConnectionManager manager;
    JDBCConnectionProvider provider;
    /** What a user's component keeps: {@code provider.getResource(txControl)}. */
    Connection connection;
    final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @BeforeEach
    void engineAndItsProvider() throws Exception {
        engines = new Engines(context, admin);
        configuration = configureEngine();
        engine = engines.service(Engine.class, NAME);
        manager = engines.service(ConnectionManager.class, NAME);
        manager.execute(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE entries(id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
                s.executeUpdate("CREATE TABLE counter(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
                s.executeUpdate("INSERT INTO counter(id, v) VALUES (1, 0)");
            }
        });
        provider = engines.service(JDBCConnectionProvider.class, NAME);
        connection = provider.getResource(txControl);
    }

    Configuration configureEngine() throws Exception {
        return engines.configure(NAME, EngineProperties.PATH, dir.resolve("orders.db").toString(),
                EngineProperties.CONNECTION_TIMEOUT, WRITER_TIMEOUT_MS);
    }

    @AfterEach
    void release() throws Exception {
        otherThread.shutdownNow();
        engines.close(); // waits until every service with engine.name=orders, the provider too, is gone
    }

    @Nested
    class TheService {

        @Test
        void is_registered_with_the_engine_s_three_names() {
            ServiceReference<JDBCConnectionProvider> reference = engines.reference(JDBCConnectionProvider.class, NAME);

            assertThat(reference.getProperty(EngineProperties.ENGINE_NAME)).isEqualTo(NAME);
            assertThat(reference.getProperty(EngineProperties.DATA_SOURCE_NAME)).isEqualTo(NAME);
            assertThat(reference.getProperty(EngineProperties.JNDI_SERVICE_NAME)).isEqualTo(NAME);
            assertThat(engines.referenceMatching(JDBCConnectionProvider.class,
                    filter(EngineProperties.DATA_SOURCE_NAME, NAME))).isEqualTo(reference);
        }

        @Test
        void goes_away_when_the_engine_s_configuration_is_deleted_and_comes_back_when_it_is_created_again()
                throws Exception {
            configuration.delete();
            await().atMost(TIMEOUT).until(() -> providerReference() == null);

            Throwable closed = catchThrowable(() -> provider.getResource(txControl));
            assertThat(closed).as("getResource on the provider of an engine that went away")
                    .isInstanceOf(TransactionException.class).hasMessageStartingWith("[" + NAME + "]");
            Throwable stale = catchThrowable(() -> txControl.required(() -> count(connection, "entries")));
            assertThat(stale).as("a scope on a connection of the provider that went away")
                    .isInstanceOf(ScopedWorkException.class);

            configureEngine();
            JDBCConnectionProvider again = engines.service(JDBCConnectionProvider.class, NAME);
            Connection newConnection = again.getResource(txControl);
            long rows = txControl.required(() -> {
                insertOn(newConnection, "after the engine came back");
                return count(newConnection, "entries");
            });

            assertThat(again).isNotSameAs(provider);
            assertThat(rows).as("rows in the same file, seen through the new provider").isEqualTo(1);
        }
    }

    @Nested
    class WritingScopes {

        @Test
        void required_commits_the_work_when_it_returns() {
            long id = txControl.required(() -> insert("book"));

            assertThat(single(manager, "SELECT item FROM entries WHERE id = " + id)).isEqualTo("book");
            assertThat(dataSourceConnectionsInUse()).as("connections the scope left checked out").isZero();
        }

        @Test
        void an_exception_in_the_work_rolls_everything_back_and_reaches_the_caller() {
            IllegalStateException cause = new IllegalStateException("no stock");

            Throwable thrown = catchThrowable(() -> txControl.required(() -> {
                insert("book");
                insert("pen");
                throw cause;
            }));

            assertThat(thrown).isInstanceOf(ScopedWorkException.class).hasCause(cause);
            assertThat(count(manager, "entries")).as("rows after the rollback").isZero();
            assertThat(dataSourceConnectionsInUse()).as("connections the scope left checked out").isZero();
        }
    }

    @Nested
    class ReadOnlyScopes {

        @Test
        void do_not_block_a_write_unit_that_runs_while_they_are_open() {
            insertCommitted("before");

            ReadOnlyScopeResult result = txControl.build().readOnly().required(() -> {
                boolean readOnly = connection.isReadOnly();
                long first = count(connection, "entries"); // the read transaction's snapshot begins here
                Future<?> write = otherThread.submit(() -> manager.execute(c -> insertOn(c, "while the scope is open")));
                Throwable writeFailure = catchThrowable(write::get);
                long second = count(connection, "entries");
                return new ReadOnlyScopeResult(readOnly, first, second, writeFailure);
            });

            assertThat(result.connectionReadOnly()).as("the scope's connection is read-only").isTrue();
            assertThat(result.writeFailure()).as("a write unit run while the read-only scope was open").isNull();
            assertThat(result.second()).as("one snapshot for the whole scope").isEqualTo(result.first()).isEqualTo(1);
            assertThat(count(manager, "entries")).as("rows after both").isEqualTo(2);
            assertThat(dataSourceConnectionsInUse()).as("connections the scope left checked out").isZero();
        }

        @Test
        void refuse_writes_and_leave_the_next_scope_writable() {
            Throwable thrown = catchThrowable(() -> txControl.build().readOnly().required(() -> insert("book")));
            long id = txControl.required(() -> insert("after a read-only scope"));

            assertThat(thrown).isInstanceOf(ScopedWorkException.class).cause().isInstanceOf(SQLException.class)
                    .hasMessageContaining("readonly");
            assertThat(id).isPositive();
            assertThat(count(manager, "entries")).isEqualTo(1);
        }
    }

    @Test
    void eight_threads_of_read_then_update_scopes_lose_no_update_and_fail_none() throws Exception {
        AtomicLong committed = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                        try {
                            txControl.required(() -> {
                                long v = ((Number) single(connection, "SELECT v FROM counter WHERE id = 1")).longValue();
                                try (PreparedStatement s = connection.prepareStatement("UPDATE counter SET v = ? WHERE id = 1")) {
                                    s.setLong(1, v + 1);
                                    s.executeUpdate();
                                }
                                return null;
                            });
                            committed.incrementAndGet();
                            txControl.build().readOnly().required(() -> single(connection, "SELECT v FROM counter"));
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }, threads));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }

        assertThat(failures).as("failed scopes").isEmpty();
        assertThat(committed.get()).isEqualTo((long) THREADS * INCREMENTS_PER_THREAD);
        assertThat(((Number) single(manager, "SELECT v FROM counter WHERE id = 1")).longValue())
                .as("the counter against the committed increments").isEqualTo(committed.get());
        assertThat(dataSourceConnectionsInUse()).as("connections the scopes left checked out").isZero();
    }

    ServiceReference<JDBCConnectionProvider> providerReference() throws Exception {
        var references = context.getServiceReferences(JDBCConnectionProvider.class, filter(EngineProperties.ENGINE_NAME, NAME));
        return references.isEmpty() ? null : references.iterator().next();
    }

    long insert(String item) throws SQLException {
        return insertOn(connection, item);
    }

    void insertCommitted(String item) {
        manager.execute(c -> insertOn(c, item));
    }

    static long insertOn(Connection c, String item) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO entries(item) VALUES (?)")) {
            s.setString(1, item);
            s.executeUpdate();
        }
        return ((Number) single(c, "SELECT last_insert_rowid()")).longValue();
    }

    int dataSourceConnectionsInUse() {
        return engine.status().pool("dataSource").map(PoolStatus::active).orElseThrow();
    }
}
