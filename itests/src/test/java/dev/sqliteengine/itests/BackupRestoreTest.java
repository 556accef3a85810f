package dev.sqliteengine.itests;

import static dev.sqliteengine.itests.support.Engines.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Issue "Scheduled maintenance, online backup and restore", in a real framework: a restore under
 * read load replaces the data of a configured engine while its services stay registered, and the
 * {@code engine:backup} and {@code engine:restore} commands use the same API.
 */
class BackupRestoreTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    @TempDir
    Path dir;

    Engines engines;
    final List<ServiceListener> listeners = new ArrayList<>();

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void close() throws Exception {
        listeners.forEach(context::removeServiceListener);
        engines.close();
    }

    private static void insert(ConnectionManager manager, int from, int to) {
        manager.execute(c -> c.createStatement().executeUpdate("WITH RECURSIVE n(i) AS (SELECT " + from
                + " UNION ALL SELECT i + 1 FROM n WHERE i < " + to + ") INSERT INTO items SELECT i, 'row ' || i FROM n"));
    }

    private static long count(Connection c) throws java.sql.SQLException {
        try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void a_restore_under_read_load_serves_the_backups_rows_with_no_unregistration_and_no_failed_read() throws Exception {
        engines.configure("restorable", EngineProperties.PATH, dir.resolve("live.db").toString());
        Engine engine = engines.service(Engine.class, "restorable");
        ConnectionManager manager = engines.service(ConnectionManager.class, "restorable");
        DataSource dataSource = engines.service(DataSource.class, "restorable");
        manager.execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
        insert(manager, 1, 100);
        Path backup = engine.backup(dir.resolve("backups/live-backup.db")).file();
        assertThat(Files.getPosixFilePermissions(backup))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        insert(manager, 101, 4000);

        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        ServiceListener listener = events::add;
        context.addServiceListener(listener, filter(EngineProperties.ENGINE_NAME, "restorable"));
        listeners.add(listener);

        AtomicBoolean stop = new AtomicBoolean();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Queue<Long> seen = new ConcurrentLinkedQueue<>();
        CountDownLatch reading = new CountDownLatch(4);
        ExecutorService readers = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean throughDataSource = t % 2 == 0;
            futures.add(readers.submit(() -> {
                reading.countDown();
                while (!stop.get()) {
                    try {
                        if (throughDataSource) {
                            try (Connection c = dataSource.getConnection()) {
                                seen.add(count(c));
                            }
                        } else {
                            seen.add(manager.read(BackupRestoreTest::count));
                        }
                    } catch (Exception | AssertionError e) {
                        failures.add(e);
                    }
                }
            }));
        }
        reading.await();

        engine.restore(backup);

        try (Connection c = dataSource.getConnection()) {
            assertThat(count(c)).isEqualTo(100);
        }
        assertThat(manager.read(BackupRestoreTest::count)).isEqualTo(100);
        stop.set(true);
        for (Future<?> f : futures) {
            f.get();
        }
        readers.shutdown();
        assertThat(failures).isEmpty();
        assertThat(seen).containsOnly(4000L, 100L);
        assertThat(events).extracting(ServiceEvent::getType).doesNotContain(ServiceEvent.UNREGISTERING);
        assertThat(engines.registered("restorable")).isEqualTo(3);
        insert(manager, 101, 101);
        assertThat(manager.read(BackupRestoreTest::count)).isEqualTo(101);
    }

    @Test
    void the_shell_backs_up_and_restores_and_refuses_a_file_that_is_no_database() throws Exception {
        engines.configure("shell", EngineProperties.PATH, dir.resolve("shell.db").toString());
        ConnectionManager manager = engines.service(ConnectionManager.class, "shell");
        manager.execute(c -> c.createStatement().execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT)"));
        insert(manager, 1, 10);
        Path backup = dir.resolve("shell-backup.db");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            session.execute("engine:backup shell \"" + backup + "\"");
            assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("[shell] backed up to " + backup + " (")
                    .contains("integrity_check ok");
            insert(manager, 11, 20);
            Path text = Files.writeString(dir.resolve("notes.txt"), "just text");

            assertThatThrownBy(() -> session.execute("engine:restore shell \"" + text + "\""))
                    .isInstanceOf(EngineException.class)
                    .hasMessage("[shell] the backup to restore " + text + " is not an SQLite database (its first bytes"
                            + " are not the SQLite header)");
            assertThat(manager.read(BackupRestoreTest::count)).isEqualTo(20);

            printed.reset();
            session.execute("engine:restore shell \"" + backup + "\"");
            assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("[shell] restored from " + backup + " (");
            assertThat(manager.read(BackupRestoreTest::count)).isEqualTo(10);
        } finally {
            session.close();
        }
    }
}
