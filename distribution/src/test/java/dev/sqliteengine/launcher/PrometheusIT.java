package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar with {@code --web}: Prometheus scrapes {@code /metrics} on the console's
 * loopback listener, and what it gets parses as Prometheus' text format and shows each engine's
 * meters, labelled with its name, for as long as the engine runs.
 */
class PrometheusIT {

    @TempDir
    Path home;

    private static HttpResponse<String> scrape(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the value of one sample of an engine, or null when the scrape has none */
    private static Double value(List<PrometheusText.Sample> samples, String name, String engine, Map<String, String> more) {
        return samples.stream().filter(s -> s.name().equals(name) && engine.equals(s.labels().get("engine"))
                && s.labels().entrySet().containsAll(more.entrySet())).map(PrometheusText.Sample::value).findFirst().orElse(null);
    }

    @Test
    void aScrapeParsesAndShowsEachEnginesCountersWhileItRuns() throws Exception {
        int port = ContainerProcess.freePort();
        try (ContainerProcess container = ContainerProcess.felix(home, "--web", String.valueOf(port))) {
            container.awaitOutput("Welcome to Apache Felix Gogo");
            assertThat(container.output()).contains("sqlite-engine: Prometheus metrics on http://127.0.0.1:" + port + "/metrics");
            container.awaitShell("engine:create extra " + home.resolve("data").resolve("extra.db"), Pattern.compile("(?s).*"));
            container.awaitShell("engine:list", Pattern.compile("(?m)^extra\\s+RUNNING"));
            container.awaitShell("engine:query --write extra \"CREATE TABLE t(x)\"", Pattern.compile("0 rows changed"));
            container.awaitShell("each [1 2 3] { engine:query --write extra \"INSERT INTO t VALUES (1)\" }", Pattern.compile("1 row changed"));
            container.awaitShell("engine:query main \"SELECT 1\"", Pattern.compile("1"));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> response = scrape(port);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
                List<PrometheusText.Sample> samples = PrometheusText.parse(response.body());
                assertThat(value(samples, "sqlite_engine_commits_total", "extra", Map.of())).isEqualTo(4.0);
                assertThat(value(samples, "sqlite_engine_commits_total", "main", Map.of())).isNotNull();
                assertThat(value(samples, "sqlite_engine_units_seconds_count", "extra", Map.of("kind", "write"))).isEqualTo(4.0);
                assertThat(value(samples, "sqlite_engine_units_seconds_sum", "extra", Map.of("kind", "write"))).isPositive();
                assertThat(value(samples, "sqlite_engine_units_seconds_count", "main", Map.of("kind", "read"))).isGreaterThanOrEqualTo(1);
                assertThat(value(samples, "sqlite_engine_connections_max_connections", "extra", Map.of("pool", "writer"))).isEqualTo(1.0);
                assertThat(value(samples, "sqlite_engine_wal_size_bytes", "extra", Map.of())).isPositive();
                assertThat(samples).filteredOn(s -> s.name().equals("sqlite_engine_commits_total"))
                        .allSatisfy(s -> assertThat(s.type()).isEqualTo("counter"));
            });

            container.awaitShell("engine:delete extra", Pattern.compile("(?s).*"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<PrometheusText.Sample> samples = PrometheusText.parse(scrape(port).body());
                assertThat(samples).noneSatisfy(s -> assertThat(s.labels()).containsEntry("engine", "extra"));
                assertThat(value(samples, "sqlite_engine_commits_total", "main", Map.of())).isNotNull();
            });
            container.closeInput();
            assertThat(container.awaitExit()).isZero();
        }
    }
}
