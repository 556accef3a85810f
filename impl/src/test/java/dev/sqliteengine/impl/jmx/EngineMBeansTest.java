package dev.sqliteengine.impl.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.impl.engine.EngineRegistry;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.impl.engine.SqliteEngineFactory;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine's MXBean shows its figures as open types, which a JMX client reads without the
 * engine's classes, and offers checkpoint and optimize. (Its life in a framework, across pool
 * switches and bundle updates, is tested in itests' {@code EngineMBeanTest}.)
 */
class EngineMBeansTest {

    @TempDir
    Path dir;

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private SqliteEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private SqliteEngine open(String name) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("path", dir.resolve(name + ".db").toString());
        engine = SqliteEngine.open(EngineSettings.parse(properties, name, null), new EngineRegistry());
        return engine;
    }

    @Test
    void theFiguresAreOpenTypes() throws Exception {
        open("orders");
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id INTEGER PRIMARY KEY)"));
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        try {
            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        } catch (RuntimeException expected) {
            // counted under SQLITE_CONSTRAINT_PRIMARYKEY
        }
        for (int i = 0; i < 3; i++) {
            engine.connections().read(c -> {
                try (java.sql.PreparedStatement s = c.prepareStatement("SELECT count(*) FROM t")) {
                    return s.executeQuery().next();
                }
            });
        }
        EngineMBeans.Registration registration = EngineMBeans.register(engine, server);
        ObjectName name = new ObjectName("dev.sqliteengine:type=Engine,name=orders");
        assertThat(server.isRegistered(name)).isTrue();

        assertThat(server.getAttribute(name, "Name")).isEqualTo("orders");
        assertThat(server.getAttribute(name, "State")).isEqualTo("RUNNING");
        assertThat(server.getAttribute(name, "Commits")).isEqualTo(2L);
        assertThat(server.getAttribute(name, "Errors")).isEqualTo(1L);
        assertThat((Long) server.getAttribute(name, "StatementsPrepared") + (Long) server.getAttribute(name,
                "StatementsReused")).as("the three prepares of the read units").isEqualTo(3L);
        CompositeData writes = (CompositeData) server.getAttribute(name, "WriteUnits");
        assertThat(writes.get("count")).isEqualTo(3L);
        assertThat((Long) writes.get("maxNanos")).isPositive();
        assertThat(writes.getCompositeType().keySet())
                .containsExactlyInAnyOrder("p50Nanos", "p99Nanos", "maxNanos", "windowCount", "count", "totalNanos");
        CompositeData queue = (CompositeData) server.getAttribute(name, "WriterQueue");
        assertThat(queue.get("waiting")).isEqualTo(0);
        assertThat(((CompositeData) queue.get("waitTime")).get("count")).isEqualTo(3L);
        CompositeData readers = (CompositeData) server.getAttribute(name, "ReadersPool");
        assertThat((Integer) readers.get("max")).isEqualTo(10);
        TabularData errors = (TabularData) server.getAttribute(name, "ErrorsByCode");
        CompositeData row = errors.get(new Object[] {"SQLITE_CONSTRAINT_PRIMARYKEY"});
        assertThat(row.get("value")).isEqualTo(1L);

        assertThat(server.invoke(name, "checkpoint", new Object[] {"TRUNCATE"}, new String[] {String.class.getName()}))
                .asString().startsWith("TRUNCATE completed");
        CompositeData wal = (CompositeData) server.getAttribute(name, "Wal");
        assertThat(wal.get("lastCheckpointResult")).asString().startsWith("TRUNCATE completed");
        assertThat(wal.get("sizeBytes")).isEqualTo(0L);
        server.invoke(name, "optimize", new Object[0], new String[0]);
        assertThatThrownBy(() -> server.invoke(name, "checkpoint", new Object[] {"SOON"},
                new String[] {String.class.getName()}))
                .isInstanceOf(RuntimeMBeanException.class)
                .satisfies(e -> assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("[orders] checkpoint mode SOON is invalid"));

        registration.unregister();
        assertThat(server.isRegistered(name)).isFalse();
        registration.unregister(); // a second time does nothing
    }

    @Test
    void backupRestoreAndHealthAreOperationsAndAttributes() throws Exception {
        open("books");
        engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE t(id INTEGER PRIMARY KEY)"));
        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
        EngineMBeans.Registration registration = EngineMBeans.register(engine, server);
        ObjectName name = EngineMBeans.objectName("books");
        String[] oneString = {String.class.getName()};
        try {
            Path copy = dir.resolve("copies").resolve("books-1.db");
            assertThat(server.invoke(name, "backup", new Object[] {copy.toString()}, oneString))
                    .asString().startsWith(copy + ": ").contains(" pages, ");
            assertThat(java.nio.file.Files.getPosixFilePermissions(copy))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

            engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (2)"));
            assertThat(server.invoke(name, "restore", new Object[] {copy.toString()}, oneString))
                    .asString().contains(" pages from " + copy).contains(", paused ");
            int rows = engine.connections().read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).as("the row written after the backup is gone").isEqualTo(1);

            java.nio.file.Path text = dir.resolve("notes.txt");
            java.nio.file.Files.writeString(text, "not a database");
            assertThatThrownBy(() -> server.invoke(name, "restore", new Object[] {text.toString()}, oneString))
                    .isInstanceOf(RuntimeMBeanException.class)
                    .satisfies(e -> assertThat(e.getCause()).isExactlyInstanceOf(IllegalStateException.class)
                            .hasMessageStartingWith("[books] ").hasNoCause());

            assertThat(server.getAttribute(name, "Health")).isEqualTo("OK");
            TabularData checks = (TabularData) server.getAttribute(name, "HealthChecks");
            assertThat(checks.get(new Object[] {"state"}).get("value")).asString().startsWith("OK: ");
        } finally {
            registration.unregister();
        }
    }

    @Test
    void aNameThatIsTakenIsNotRegisteredTwiceAndTheOwnerKeepsIt() throws Exception {
        open("shared");
        EngineMBeans.Registration first = EngineMBeans.register(engine, server);
        SqliteEngine other = SqliteEngine.open(EngineSettings.parse(
                Map.of("path", dir.resolve("other.db").toString()), "shared", null), new EngineRegistry());
        try {
            EngineMBeans.Registration second = EngineMBeans.register(other, server);
            second.unregister();
            assertThat(server.isRegistered(EngineMBeans.objectName("shared"))).as("still the first engine's").isTrue();
            assertThat(server.getAttribute(EngineMBeans.objectName("shared"), "Path"))
                    .isEqualTo(dir.resolve("shared.db").toString());
        } finally {
            other.close();
        }
        first.unregister();
        assertThat(server.isRegistered(EngineMBeans.objectName("shared"))).isFalse();
    }

    @Test
    void anOperationThatFailsComesBackAsAPlainExceptionWithTheEnginesMessage() throws Exception {
        open("gone");
        EngineMBeans.Registration registration = EngineMBeans.register(engine, server);
        engine.close();
        try {
            assertThatThrownBy(() -> server.invoke(EngineMBeans.objectName("gone"), "optimize", new Object[0], new String[0]))
                    .isInstanceOf(RuntimeMBeanException.class)
                    .satisfies(e -> assertThat(e.getCause()).isExactlyInstanceOf(IllegalStateException.class)
                            .hasMessageStartingWith("[gone] ").hasNoCause());
        } finally {
            registration.unregister();
        }
    }

    @Test
    void enginesOfTheServiceLoaderFactoryAreNotRegistered() throws Exception {
        MBeanServer platform = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        try (var plain = new dev.sqliteengine.impl.engine.SqliteEngineFactory()
                .create(Map.of("name", "plain", "path", dir.resolve("plain.db").toString()))) {
            assertThat(plain.status().state().name()).isEqualTo("RUNNING");
            assertThat(platform.queryNames(new ObjectName(EngineMBeans.DOMAIN + ":*"), null)).isEmpty();
        }
    }

    @Test
    void namesAreQuotedOnlyWhenTheyMustBe() {
        assertThat(EngineMBeans.objectName("main.db-2_x").toString()).isEqualTo("dev.sqliteengine:type=Engine,name=main.db-2_x");
        assertThat(EngineMBeans.objectName("a,b=c").getKeyProperty("name")).isEqualTo(ObjectName.quote("a,b=c"));
    }
}
