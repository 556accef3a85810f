package dev.sqliteengine.postgres.server.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs sample test classes through the extension, in a JUnit run of their own, and checks what
 * they were given and what was left when that run ended. The samples report what they saw.
 */
class PostgresExtensionTest {

    @Test
    void testsGetDatabasesOfTheirOwnOnOneSharedPrimaryThatStopsWhenTheRunEnds() {
        List<Map<String, String>> reports = run(TwoTestsWithDatabases.class);

        assertThat(reports).hasSize(2);
        Map<String, String> first = reports.get(0);
        Map<String, String> second = reports.get(1);
        assertThat(first.get("database")).startsWith("t1_first");
        assertThat(second.get("database")).startsWith("t2_second").isNotEqualTo(first.get("database"));
        assertThat(second.get("port")).as("one shared primary").isEqualTo(first.get("port"));
        assertThat(second.get("databases")).as("the first test's database was dropped when it ended")
                .doesNotContain(first.get("database"))
                .contains(second.get("database"));
        assertThat(accepts(Integer.parseInt(first.get("port")))).as("the shared primary stopped with the run").isFalse();
    }

    @Test
    void aTestThatAsksForAPrimaryGetsItsOwnClosedWhenTheTestEnds() {
        List<Map<String, String>> reports = run(TestWithItsOwnPrimary.class);

        assertThat(reports).hasSize(1);
        assertThat(Path.of(reports.get(0).get("folder"))).doesNotExist();
        assertThat(accepts(Integer.parseInt(reports.get(0).get("port")))).isFalse();
    }

    private static List<Map<String, String>> run(Class<?> sample) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute();
        results.testEvents().assertStatistics(stats -> stats.failed(0).succeeded(results.testEvents().started().count()));
        List<Map<String, String>> reports = new ArrayList<>();
        results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .forEach(reports::add);
        return reports;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A sample, run only by the test above (Surefire leaves nested classes out). */
    @ExtendWith(PostgresExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class TwoTestsWithDatabases {

        @Test
        @Order(1)
        void first(PostgresDatabase database, TestReporter reporter) throws SQLException {
            report(database, reporter);
        }

        @Test
        @Order(2)
        void second(PostgresDatabase database, TestReporter reporter) throws SQLException {
            report(database, reporter);
        }

        private static void report(PostgresDatabase database, TestReporter reporter) throws SQLException {
            try (Connection connection = database.dataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT string_agg(datname, ',') FROM pg_database")) {
                rows.next();
                reporter.publishEntry(Map.of("database", database.name(), "port", Integer.toString(database.port()),
                        "databases", rows.getString(1)));
            }
        }
    }

    /** A sample, run only by the test above. */
    @ExtendWith(PostgresExtension.class)
    static class TestWithItsOwnPrimary {

        @Test
        void ownPrimary(PostgresPrimary primary, TestReporter reporter) {
            reporter.publishEntry(Map.of("port", Integer.toString(primary.port()), "folder", primary.folder().toString()));
        }
    }
}
