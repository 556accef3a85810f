package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineState;
import dev.sqliteengine.api.EngineStatus;
import dev.sqliteengine.api.LatencyFigures;
import dev.sqliteengine.api.PoolStatus;
import dev.sqliteengine.api.StatementCacheFigures;
import dev.sqliteengine.api.WalFigures;
import dev.sqliteengine.api.WriterQueueFigures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An engine of {@code type=postgresql} in {@code engine:list}, {@code engine:info} and
 * {@code engine:stats}: its server where a file would be, the server's version, errors by SQLSTATE,
 * and none of the file's and WAL's figures, which are the server's own.
 */
class ServerReportTest {

    private static final String URL = "jdbc:postgresql://db.example:5432/orders";

    private static EngineStatus status() {
        return new EngineStatus("orders", EngineState.RUNNING, URL, false, List.of(new PoolStatus("writer", 2, 0, 2, 0, 2, 10)),
                Map.of("type", "postgresql", "url", URL, "osgi.connection.max", 8), "15.18", 12, 1, 1, 0, Optional.empty(),
                new WriterQueueFigures(0, LatencyFigures.NONE, 0), LatencyFigures.NONE, LatencyFigures.NONE,
                LatencyFigures.NONE, LatencyFigures.NONE, 0, 0, 0, Map.of("23505", 1L), new WalFigures(0, 0, Optional.empty()),
                StatementCacheFigures.NONE);
    }

    @Test
    void infoShowsTheServerAndItsVersionAndNoFileOrWal() {
        String info = EngineReport.info("orders", Optional.empty(), Optional.of(status()), Optional.empty());

        assertThat(info).containsPattern("Server \\.+ " + URL.replace(".", "\\.") + "\n")
                .containsPattern("PostgreSQL \\.+ 15\\.18\n")
                .doesNotContain("File size").doesNotContain("SQLite").doesNotContain("WAL").doesNotContain("checkpoint");
    }

    @Test
    void statsShowErrorsBySqlStateAndNoWal() {
        String stats = EngineReport.stats(status());

        assertThat(stats).containsPattern("ERRORS BY SQLSTATE +COUNT").containsPattern("23505 +1")
                .containsPattern("Commits \\.+ 12").doesNotContain("WAL").doesNotContain("checkpoint");
    }

    @Test
    void listShowsTheServersUrlOrItsHostPortAndDatabaseWhereAFileWouldBe() {
        String list = EngineReport.list(List.of(
                new EngineConfiguration("orders", "dev.sqliteengine.engine~orders", Map.of("type", "postgresql", "url", URL),
                        State.RUNNING, Optional.empty()),
                new EngineConfiguration("stock", "dev.sqliteengine.engine~stock", Map.of("type", "postgresql",
                        "host", "db.example", "port", 6432, "database", "stock"), State.RUNNING, Optional.empty()),
                new EngineConfiguration("notes", "dev.sqliteengine.engine~notes", Map.of("path", "/data/notes.db"),
                        State.RUNNING, Optional.empty())));

        assertThat(list).containsPattern("orders +RUNNING +" + URL.replace(".", "\\."))
                .containsPattern("stock +RUNNING +db\\.example:6432/stock")
                .containsPattern("notes +RUNNING +/data/notes\\.db");
    }
}
