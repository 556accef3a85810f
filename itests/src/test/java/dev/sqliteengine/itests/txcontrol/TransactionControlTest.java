package dev.sqliteengine.itests.txcontrol;

import static dev.sqliteengine.itests.support.Engines.count;
import static dev.sqliteengine.itests.support.Engines.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.examples.txcontrol.ReadOnlyScopeDataSource;
import dev.sqliteengine.itests.support.Engines;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.transaction.control.ScopedWorkException;
import org.osgi.service.transaction.control.TransactionContext;
import org.osgi.service.transaction.control.TransactionControl;
import org.osgi.service.transaction.control.TransactionException;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProvider;
import org.osgi.service.transaction.control.jdbc.JDBCConnectionProviderFactory;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * OSGi Transaction Control over an engine without the tx-control bundle, as the
 * plain-DataSource recipe of docs/transaction-control.md sets it up: Apache Aries' local Transaction Control service and its JDBC resource provider
 * factory, given the engine's {@code DataSource} service (unpooled: the engine pools) wrapped in
 * {@link ReadOnlyScopeDataSource}. Runs in {@code txcontrol.bndrun}.
 * <p>
 * The engine's connection timeout is short ({@value #WRITER_TIMEOUT_MS} ms), so that a write unit
 * that would wait for a scope holding the writer fails instead of waiting: the tests that prove a
 * scope does <em>not</em> hold the writer run a write unit on another thread while the scope is
 * open, and need it to complete.
 */
class TransactionControlTest {

    static final String NAME = "ledger";
    static final long WRITER_TIMEOUT_MS = 2_000;
    static final int THREADS = 8;
    static final int INCREMENTS_PER_THREAD = 40;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    TransactionControl txControl;

    @InjectService(timeout = 10_000)
    JDBCConnectionProviderFactory providers;

    @TempDir
    Path dir;

    Engines engines;
    Engine engine;
    ConnectionManager manager;
    DataSource dataSource;
    final List<JDBCConnectionProvider> provided = new ArrayList<>();
    /** The recipe's connection: the recipe's {@code connection} field. */
    Connection connection;
    final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @BeforeEach
    void engineAndRecipe() throws Exception {
        engines = new Engines(context, admin);
        engines.configure(NAME, EngineProperties.PATH, dir.resolve("ledger.db").toString(),
                EngineProperties.CONNECTION_TIMEOUT, WRITER_TIMEOUT_MS);
        engine = engines.service(Engine.class, NAME);
        manager = engines.service(ConnectionManager.class, NAME);
        dataSource = engines.service(DataSource.class, NAME);
        manager.execute(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE entries(id INTEGER PRIMARY KEY, item TEXT NOT NULL)");
                s.executeUpdate("CREATE TABLE counter(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
                s.executeUpdate("INSERT INTO counter(id, v) VALUES (1, 0)");
            }
        });

        // The recipe, as in docs/transaction-control.md
        JDBCConnectionProvider provider = providers.getProviderFor(new ReadOnlyScopeDataSource(dataSource, txControl),
                Map.of(JDBCConnectionProviderFactory.CONNECTION_POOLING_ENABLED, false));
        provided.add(provider);
        connection = provider.getResource(txControl);
    }

    @AfterEach
    void release() throws Exception {
        otherThread.shutdownNow();
        provided.forEach(providers::releaseProvider);
        engines.close();
    }

    @Nested
    class CommitAndRollback {

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

        @Test
        void set_rollback_only_rolls_back_without_an_exception() {
            txControl.required(() -> {
                insert("book");
                txControl.setRollbackOnly();
                return null;
            });

            assertThat(count(manager, "entries")).isZero();
        }

        @Test
        void a_writing_scope_holds_the_writer_from_its_first_statement_to_its_end() throws Exception {
            Throwable waiting = txControl.required(() -> {
                count(connection, "entries"); // BEGIN IMMEDIATE: even a first read takes the writer
                return catchThrowable(() -> otherThread.submit(() -> manager.execute(c -> insertOn(c, "queued"))).get());
            });

            assertThat(waiting).as("a write unit while a writing scope is open")
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("for the writer");
        }
    }

    @Nested
    class ReadOnlyScopes {

        @Test
        void run_as_read_only_transactions_that_do_not_take_the_writer() throws Exception {
            insertCommitted("before");

            ReadOnlyScopeResult result = txControl.build().readOnly().required(() -> {
                boolean readOnly = connection.isReadOnly();
                long first = count(connection, "entries"); // the read transaction's snapshot begins here
                // another thread writes and commits while this scope is open: it does not wait for us
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
        void refuse_writes() {
            Throwable thrown = catchThrowable(() -> txControl.build().readOnly().required(() -> insert("book")));

            assertThat(thrown).isInstanceOf(ScopedWorkException.class).cause().isInstanceOf(SQLException.class)
                    .hasMessageContaining("readonly");
            assertThat(count(manager, "entries")).isZero();
        }

        @Test
        void leave_the_connection_writable_for_the_next_scope() {
            txControl.build().readOnly().required(() -> count(connection, "entries"));

            long id = txControl.required(() -> insert("after a read-only scope"));

            assertThat(id).isPositive();
            assertThat(count(manager, "entries")).isEqualTo(1);
        }

        @Test
        void without_the_read_only_scope_data_source_take_the_writer_like_any_transaction() throws Exception {
            JDBCConnectionProvider plain = providers.getProviderFor(dataSource,
                    Map.of(JDBCConnectionProviderFactory.CONNECTION_POOLING_ENABLED, false));
            provided.add(plain);
            Connection plainConnection = plain.getResource(txControl);

            ReadOnlyScopeResult result = txControl.build().readOnly().required(() -> {
                boolean readOnly = plainConnection.isReadOnly();
                long first = count(plainConnection, "entries");
                Throwable writeFailure = catchThrowable(
                        () -> otherThread.submit(() -> manager.execute(c -> insertOn(c, "queued"))).get());
                return new ReadOnlyScopeResult(readOnly, first, first, writeFailure);
            });

            assertThat(result.connectionReadOnly()).as("Aries' provider leaves the connection writable in a read-only scope")
                    .isFalse();
            Throwable waiting = result.writeFailure();
            assertThat(waiting).as("a write unit while a read-only scope of the plain provider is open")
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("for the writer");
        }
    }

    @Nested
    class NestedScopes {

        @Test
        void required_inside_required_joins_the_outer_transaction() {
            List<Object> seen = new ArrayList<>(); // asserted outside: a failed assertion in the work would roll back too
            IllegalStateException outerFailure = new IllegalStateException("the outer scope fails after the inner one returned");

            Throwable thrown = catchThrowable(() -> txControl.required(() -> {
                seen.add(txControl.getCurrentContext().getTransactionKey());
                insert("outer");
                seen.add(txControl.required(() -> {
                    insert("inner");
                    return txControl.getCurrentContext().getTransactionKey();
                }));
                seen.add(count(connection, "entries"));
                throw outerFailure;
            }));

            assertThat(thrown).isInstanceOf(ScopedWorkException.class).hasCause(outerFailure);
            assertThat(seen.get(1)).as("the inner scope's transaction").isEqualTo(seen.get(0));
            assertThat(seen.get(2)).as("rows the outer scope saw after the inner one returned").isEqualTo(2L);
            assertThat(count(manager, "entries")).as("rows after the outer rollback: the inner one's too").isZero();
        }

        @Test
        void a_read_only_requires_new_inside_a_writing_scope_reads_committed_rows_without_the_writer() {
            insertCommitted("committed");

            long seenInside = txControl.required(() -> {
                insert("uncommitted"); // the outer scope now holds the writer
                // on the same thread: if this scope asked for the writer it would fail at once
                return txControl.build().readOnly().requiresNew(() -> count(connection, "entries"));
            });

            assertThat(seenInside).as("rows the inner read-only scope saw").isEqualTo(1);
            assertThat(count(manager, "entries")).as("rows after the outer commit").isEqualTo(2);
        }

        @Test
        void a_writing_requires_new_inside_a_writing_scope_fails_at_once_and_the_outer_may_go_on() {
            Throwable inner = txControl.required(() -> {
                insert("outer");
                Throwable failure = catchThrowable(() -> txControl.requiresNew(() -> insert("inner")));
                insert("outer, after the inner scope failed");
                return failure;
            });

            assertThat(inner).as("a second writing transaction of this thread").isInstanceOf(ScopedWorkException.class)
                    .cause().isInstanceOf(SQLException.class).hasMessageContaining("wait for itself");
            assertThat(single(manager, "SELECT group_concat(item, '|') FROM entries"))
                    .isEqualTo("outer|outer, after the inner scope failed");
        }

        @Test
        void a_writing_scope_inside_a_read_only_scope_is_refused() {
            Throwable thrown = catchThrowable(() -> txControl.build().readOnly().required(
                    () -> txControl.required(() -> insert("upgrade"))));

            assertThat(thrown).isInstanceOf(ScopedWorkException.class).cause().isInstanceOf(TransactionException.class)
                    .hasMessageContaining("read only");
            assertThat(count(manager, "entries")).isZero();
        }
    }

    @Test
    void eight_threads_of_read_then_update_scopes_lose_no_update_and_fail_none() throws Exception {
        AtomicLong committed = new AtomicLong();
        AtomicLong readOnlyScopes = new AtomicLong();
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
                            readOnlyScopes.incrementAndGet();
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
        assertThat(readOnlyScopes.get()).isEqualTo((long) THREADS * INCREMENTS_PER_THREAD);
        assertThat(((Number) single(manager, "SELECT v FROM counter WHERE id = 1")).longValue())
                .as("the counter against the committed increments").isEqualTo(committed.get());
        assertThat(dataSourceConnectionsInUse()).as("connections the scopes left checked out").isZero();
    }

    record ReadOnlyScopeResult(boolean connectionReadOnly, long first, long second, Throwable writeFailure) {}

    /** Inserts through the recipe's connection, in the current scope. */
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
