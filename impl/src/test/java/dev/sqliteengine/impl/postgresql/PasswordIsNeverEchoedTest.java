package dev.sqliteengine.impl.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.impl.engine.CapturedLog;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.impl.engine.SqliteEngineFactory;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The password of a PostgreSQL engine never shows: not in a configuration error, not in the
 * failure of a login the server refused, not in status, health, events or the log lines of an
 * engine that opens, is updated, refused and closed (its MXBean: {@code PostgresqlMBeanTest}).
 */
@ExtendWith(PostgresExtension.class)
class PasswordIsNeverEchoedTest {

    @Test
    void notInConfigurationErrorsNorInWhatValidateReports(PostgresDatabase database) {
        String password = database.password();
        for (Map<String, Object> bad : List.of(
                PgEngines.with(PgEngines.config(database, "vault"), "isolation", "SNAPSHOT"),
                PgEngines.with(PgEngines.config(database, "vault"), "password", List.of(password, password)),
                PgEngines.with(PgEngines.config(database, "vault"), "url", database.jdbcUrl() + "?password=" + password))) {
            Throwable parsed = catchThrowable(() -> PgEngines.settings(bad));
            Throwable validated = catchThrowable(() -> new SqliteEngineFactory().validate(bad));

            assertThat(parsed.getMessage()).startsWith("[vault] ").doesNotContain(password);
            assertThat(validated.getMessage()).doesNotContain(password);
        }
    }

    @Test
    void notInStatusHealthEventsNorLogsOfAnEngineThatRunsIsUpdatedAndRefused(PostgresDatabase database) throws Exception {
        String password = database.password();
        String wrong = "Wr0ng-" + System.nanoTime();
        PgEngines.Events events = new PgEngines.Events();
        List<String> seen = new ArrayList<>();
        String log = CapturedLog.during(() -> {
            try (SqliteEngine engine = PgEngines.open(database, "vault")) {
                engine.addListener(events);
                Map<String, Object> config = PgEngines.config(database, "vault");
                engine.reconfigure(PgEngines.settings(PgEngines.with(config, "osgi.connection.max", 3)));
                catchThrowable(() -> engine.reconfigure(PgEngines.settings(PgEngines.with(config, "password", wrong))));
                catchThrowable(() -> engine.connections().execute(c -> c.createStatement().execute("SELEC 1")));
                seen.add(engine.status().toString());
                seen.add(engine.health().toString());
            }
            catchThrowable(() -> PgEngines.open(PgEngines.with(PgEngines.config(database, "other"), "password", wrong)));
        });

        assertThat(events.types()).contains(EngineEvent.Type.RECONFIGURED, EngineEvent.Type.REJECTED, EngineEvent.Type.ERROR);
        for (EngineEvent e : events.all) {
            seen.add(e.toString());
            e.cause().ifPresent(cause -> seen.add(cause.toString()));
        }
        seen.add(log);
        assertThat(log).contains("[vault] reconfigured");
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(password).doesNotContain(wrong));
    }
}
