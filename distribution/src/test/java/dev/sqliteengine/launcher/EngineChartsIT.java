package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live charts of the Engines page and its table, in Debian's headless Chromium, offline
 * (every host name fails; only the container at 127.0.0.1 answers), against the executable jar
 * started with {@code --web PORT}. The load comes from the container's own shell: background
 * jobs ({@code &}) of {@code engine:query --write}, so several writers queue for the writer.
 */
class EngineChartsIT {

    private static final List<String> CHARTS = List.of("commits", "latency", "queue", "pools", "wal");

    @TempDir
    Path home;
    @TempDir
    Path profile;

    private ChromeDriver browser;

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            Files.writeString(Path.of("target", "engine-charts-last-page.html"), browser.getPageSource());
            browser.quit();
        }
    }

    @Test
    void theChartsDrawOfflineRiseWithAWriteLoadAndFollowEnginesThatComeAndGo() throws Exception {
        int port = ContainerProcess.freePort();
        try (ContainerProcess container = ContainerProcess.felix(home, "--web", String.valueOf(port))) {
            container.awaitOutput("Welcome to Apache Felix Gogo");
            browser = Chromium.start(profile);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            String origin = "http://127.0.0.1:" + port;
            browser.get("http://admin:admin@127.0.0.1:" + port + "/system/console/engines");

            // every chart of the running engine draws points, from what this bundle served alone
            awaitCharts(wait, "main");
            assertThat(peaks("main", "commits")).containsEntry("commits", 0.0);
            assertThat(resourcesLoaded()).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin + "/"))
                    .anySatisfy(url -> assertThat(url).endsWith("/engines/res/uplot/uPlot.iife.min.js"));
            browser.executeScript("window.notReloaded = true;");

            // a write load: three background jobs of slow inserts, and reads in the foreground
            container.awaitShell("engine:query --write main \"CREATE TABLE t(x)\"", Pattern.compile("0 rows changed"));
            String inserts = IntStream.rangeClosed(1, 12).mapToObj(String::valueOf).collect(Collectors.joining(" "));
            String slowInsert = "engine:query --write main \"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c"
                    + " WHERE x < 150000) INSERT INTO t SELECT x FROM c\"";
            for (int job = 0; job < 3; job++) {
                container.type("each [" + inserts + "] { " + slowInsert + " } &");
            }
            container.awaitShell("each [1 2 3 4 5] { engine:query main \"SELECT count(*) FROM t\" }", Pattern.compile("count"));

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(peaks("main", "commits").get("commits")).as("commits per second").isPositive();
                assertThat(peaks("main", "queue").get("queueDepth")).as("writers waiting").isGreaterThanOrEqualTo(1);
                assertThat(peaks("main", "queue").get("queueWaitP99")).as("their wait, ms").isPositive();
                assertThat(peaks("main", "latency").get("writeP99")).isPositive();
                assertThat(peaks("main", "latency").get("readP99")).isPositive();
                assertThat(peaks("main", "pools").get("writer")).isEqualTo(1);
                assertThat(peaks("main", "wal").get("wal")).as("bytes").isPositive();
            });
            screenshot("engine-charts-overview.png");

            // a new engine gets its charts, a deleted one loses them, and the page never reloads
            container.awaitShell("engine:create extra " + home.resolve("data").resolve("extra.db")
                    + " maintenance.checkpointInterval=1000", Pattern.compile("(?s).*"));
            container.awaitShell("engine:list", Pattern.compile("(?m)^extra\\s+RUNNING"));
            awaitCharts(wait, "extra");
            // its maintenance checkpoints every second: the WAL chart marks them
            wait.until(d -> Integer.parseInt(d.findElement(By.cssSelector(
                    ".engine-chart-group[data-engine='extra'] .engine-chart[data-chart='wal']")).getDomAttribute("data-marks")) > 0);
            container.awaitShell("engine:delete extra", Pattern.compile("(?s).*"));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".engine-chart-group[data-engine='extra']"), 0));
            assertThat(browser.findElements(By.cssSelector(".engine-chart-group[data-engine='main'] .engine-chart"))).hasSize(5);
            assertThat(browser.executeScript("return window.notReloaded === true;")).isEqualTo(true);

            // the hour: the same charts, coarser
            browser.findElement(By.cssSelector("button[data-series='hour']")).click();
            wait.until(d -> "hour".equals(d.findElement(By.id("engine-charts")).getDomAttribute("data-series")));

            // an engine's own view: the charts large, its health checks beside them
            browser.findElement(By.cssSelector("#engines tr[data-engine='main'] td a")).click();
            awaitCharts(wait, "main");
            WebElement charts = browser.findElement(By.id("engine-charts"));
            WebElement health = browser.findElement(By.cssSelector(".engine-health"));
            assertThat(health.getRect().getX()).as("beside the charts").isGreaterThanOrEqualTo(charts.getRect().getX()
                    + charts.getRect().getWidth());
            assertThat(browser.findElement(By.cssSelector(".engine-chart[data-chart='commits']")).getRect().getWidth())
                    .as("large").isGreaterThan(500);
            assertThat(browser.findElements(By.cssSelector("#health tbody tr")))
                    .extracting(row -> row.getDomAttribute("data-check"))
                    .containsExactly("state", "quick_check", "saturation", "errors", "wal", "configuration");
            assertThat(browser.findElement(By.cssSelector("#health tr[data-check='state']")).getText()).contains("OK", "running");
            screenshot("engine-charts-detail.png");

            container.closeInput();
            assertThat(container.awaitExit()).isZero();
        }
    }

    @Test
    void theTableHeadersClearTheirSortArrowsAndTheBackupFieldStaysInItsCellAt1024And1400Pixels() throws Exception {
        int port = ContainerProcess.freePort();
        try (ContainerProcess container = ContainerProcess.felix(home, "--web", String.valueOf(port))) {
            container.awaitOutput("Welcome to Apache Felix Gogo");
            browser = Chromium.start(profile);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            for (int width : List.of(1024, 1400)) {
                browser.manage().window().setSize(new Dimension(width, 900));
                browser.get("http://admin:admin@127.0.0.1:" + port + "/system/console/engines");
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#engines th.header")));
                assertThat(browser.executeScript("return window.innerWidth;")).as("the window's width")
                        .isEqualTo((long) width);
                screenshot("engines-table-" + width + ".png");
                assertThat(overlaps()).as("at %d px", width).isEmpty();
            }

            // the charts' data and the engine view, behind the console's password like its pages
            String base = "http://127.0.0.1:" + port + "/system/console/engines";
            HttpResponse<String> history = get(base + "/history.json?series=hour&engine=main", true);
            assertThat(history.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(history.body()).startsWith("{\"series\":\"hour\",\"engines\":[{\"name\":\"main\",\"t\":[")
                    .contains("\"health\":[{\"check\":\"state\",\"status\":\"OK\",\"message\":\"running\"}");
            assertThat(get(base + "/history.json", false).statusCode()).isEqualTo(401);
            assertThat(get(base + "?engine=nope", true).body()).contains("[nope] no running engine of that name");
            container.closeInput();
            assertThat(container.awaitExit()).isZero();
        }
    }

    /**
     * @return what overlaps, described: a header's text that reaches into the 21 pixels at its
     *         right edge where the table sorter draws its arrow, or runs out of its cell; a form
     *         field that runs out of its cell
     */
    @SuppressWarnings("unchecked")
    private List<String> overlaps() {
        return (List<String>) browser.executeScript("""
                const out = [];
                const ARROW = 21;
                for (const th of document.querySelectorAll('#engines thead th')) {
                    const range = document.createRange();
                    range.selectNodeContents(th);
                    const text = range.getBoundingClientRect();
                    const cell = th.getBoundingClientRect();
                    if (text.right > cell.right - ARROW || text.left < cell.left) {
                        out.push('header ' + th.textContent + ': text ' + text.left + '..' + text.right
                                + ', cell ' + cell.left + '..' + cell.right);
                    }
                }
                for (const input of document.querySelectorAll('#engines td input[type=text]')) {
                    const box = input.getBoundingClientRect();
                    const cell = input.closest('td').getBoundingClientRect();
                    if (box.left < cell.left || box.right > cell.right || box.width < 40) {
                        out.push('field ' + input.name + ': ' + box.left + '..' + box.right + ', cell '
                                + cell.left + '..' + cell.right);
                    }
                }
                const table = document.getElementById('engines').getBoundingClientRect();
                if (table.right > document.documentElement.clientWidth) {
                    out.push('the table is wider than the window: ' + table.right);
                }
                return out;
                """);
    }

    private static HttpResponse<String> get(String url, boolean withPassword) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (withPassword) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until each of an engine's five charts draws points. */
    private void awaitCharts(WebDriverWait wait, String engine) {
        for (String chart : CHARTS) {
            By selector = By.cssSelector(".engine-chart-group[data-engine='" + engine + "'] .engine-chart[data-chart='" + chart + "']");
            wait.until(d -> {
                List<WebElement> found = d.findElements(selector);
                return !found.isEmpty() && Integer.parseInt(found.get(0).getDomAttribute("data-points")) > 0;
            });
        }
    }

    /** @return the highest value of each line that a chart draws now, by line */
    private Map<String, Double> peaks(String engine, String chart) {
        String peaks = browser.findElement(By.cssSelector(".engine-chart-group[data-engine='" + engine
                + "'] .engine-chart[data-chart='" + chart + "']")).getDomAttribute("data-peaks");
        Map<String, Double> out = new HashMap<>();
        for (String pair : peaks.split(";")) {
            String[] kv = pair.split("=");
            out.put(kv[0], Double.parseDouble(kv[1]));
        }
        return out;
    }

    /** @return every script, style, image and fetch the page loaded, without user, password or query */
    @SuppressWarnings("unchecked")
    private List<String> resourcesLoaded() {
        return (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => { const u = new URL(e.name);"
                        + " return u.protocol + '//' + u.host + u.pathname; });");
    }

    private void screenshot(String name) throws IOException {
        Files.write(Path.of("target", name), browser.getScreenshotAs(OutputType.BYTES));
    }

}
