package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConnectionException;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.itests.support.Engines;
import dev.sqliteengine.itests.support.PlainSqlite;
import dev.sqliteengine.itests.support.Workload;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** Deleting an engine's configuration while callers are busy with it. */
class DeleteUnderLoadTest {

    private static final int WORKERS = 8;
    /** Each caller must be answered within this: the default drainTimeout (10 s) and then some. */
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(30);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @TempDir
    Path dir;

    Engines engines;

    @BeforeEach
    void engines() {
        engines = new Engines(context, admin);
    }

    @AfterEach
    void deleteConfigurations() throws Exception {
        engines.close();
    }

    @Test
    void callers_get_a_connection_exception_or_their_result_never_hang_and_the_file_is_released() throws Exception {
        Path file = dir.resolve("busy.db");
        Configuration configuration = engines.configure("busy", EngineProperties.PATH, file.toString());
        ConnectionManager manager = engines.service(ConnectionManager.class, "busy");
        Workload.createTable(manager);

        try (Workload load = Workload.untilTheEngineGoes(manager, WORKERS).start()) {
            load.awaitProgress(4 * WORKERS);

            configuration.delete();
            engines.awaitGone("busy");
            load.join(ANSWERED_WITHIN);

            assertThat(load.failures()).as("exceptions other than ConnectionException")
                    .withFailMessage(() -> Workload.describe(load.failures())).isEmpty();
            assertThat(load.endings()).as("each caller learns that the engine went away")
                    .hasSize(WORKERS).allSatisfy(e -> assertThat(e).isInstanceOf(ConnectionException.class)
                            .hasMessageStartingWith("[busy] "));

            await().atMost(Engines.TIMEOUT).ignoreExceptions().untilAsserted(() -> PlainSqlite.takeExclusively(file));
            try (Connection c = PlainSqlite.open(file)) {
                assertThat(Workload.rows(c)).as("acknowledged writes in the file").containsAll(load.acknowledged());
            }
        }
    }
}
