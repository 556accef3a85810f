package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The "Web console" section of docs/running.md, in a real browser: Debian's headless Chromium, driven
 * through its chromedriver, against the executable jar started with {@code --web PORT}. One
 * browser session walks an engine through the Configuration page, the Engines page (checkpoint,
 * backup) and the Health Check page, so the container starts once for all of it.
 */
class WebConsoleIT {

    private static final String ENGINE_FACTORY = "SQLite engine";

    @TempDir
    Path home;
    @TempDir
    Path profile;

    private WebDriver browser;
    private String lastAnswer = "";

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            // the last page the browser saw, to read when a step failed
            Files.writeString(Path.of("target", "webconsole-last-page.html"), browser.getPageSource());
            browser.quit();
        }
    }

    @Test
    void anOperatorCreatesEditsBacksUpChecksAndDeletesAnEngineInTheWebConsole() throws Exception {
        int port = ContainerProcess.freePort();
        Path database = home.resolve("data").resolve("web.db");
        try (ContainerProcess container = ContainerProcess.felix(home, "--web", String.valueOf(port))) {
            container.awaitOutput("sqlite-engine: web console on http://127.0.0.1:" + port + "/system/console");
            container.awaitOutput("Welcome to Apache Felix Gogo");
            browser = Chromium.start(profile);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            String console = "http://127.0.0.1:" + port + "/system/console";

            // Create: Configuration -> factory "SQLite engine" -> + -> fill the Metatype form -> Save
            browser.get("http://admin:admin@127.0.0.1:" + port + "/system/console/configMgr");
            WebElement factory = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("tr.fpid[fpid='" + ENGINE_FACTORY + "']")));
            factory.findElement(By.cssSelector("li[title='Create new factory configuration']")).click();
            WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("editorForm")));
            type(form, "name", "web");
            type(form, "path", database.toString());
            save();
            awaitShell(container, "engine:list", Pattern.compile("(?m)^web\\s+RUNNING\\s+" + Pattern.quote(database.toString())));
            assertThat(database).isRegularFile();

            // Edit the pool size, read it back from the engine and from the form
            editForm(wait, "web");
            assertThat(field("osgi.connection.max"))
                    .isEqualTo("10");
            type(browser.findElement(By.id("editorForm")), "osgi.connection.max", "7");
            save();
            awaitShell(container, "engine:info web", Pattern.compile("(?m)^osgi\\.connection\\.max\\s+7\\s*$"));
            editForm(wait, "web");
            assertThat(field("osgi.connection.max"))
                    .isEqualTo("7");
            Path screenshot = Path.of("target", "webconsole-engine-form.png");
            Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            assertThat(Files.size(screenshot)).isPositive();

            // The Engines page: state and figures, and a checkpoint
            browser.get(console + "/engines");
            WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-engine='web']")));
            assertThat(row.getText()).contains("RUNNING").contains(database.toString()).contains("max 7");
            assertThat(browser.findElement(By.cssSelector("tr[data-engine='main']")).getText()).contains("RUNNING");
            row.findElement(By.cssSelector("button[value='checkpoint']")).click();
            WebElement outcome = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
            assertThat(outcome.getText()).startsWith("[web] checkpoint (TRUNCATE): busy=0");

            // A backup: the field suggests a new file in backups/ beside the database; the outcome names it
            WebElement target = engineFormField(wait, "web");
            String suggested = target.getDomProperty("value");
            assertThat(suggested).startsWith(home.resolve("data").resolve("backups").resolve("web-").toString())
                    .endsWith("-manual.db");
            target.findElement(By.xpath("following-sibling::button[@value='backup']")).click();
            wait.until(ExpectedConditions.stalenessOf(outcome));
            outcome = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
            Path backup = Path.of(suggested);
            assertThat(outcome.getText()).matches("\\[web\\] backed up to " + Pattern.quote(suggested) + ": "
                    + Files.size(backup) + " bytes, \\d+ pages, integrity_check ok; started \\S+Z, took \\d+ ms");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
            assertThat(ContainerProcess.integrityWithExclusiveLock(backup)).isEqualTo("ok");
            // the same file again: the engine refuses, and the page says why
            target = engineFormField(wait, "web");
            target.clear();
            target.sendKeys(suggested);
            target.findElement(By.xpath("following-sibling::button[@value='backup']")).click();
            wait.until(ExpectedConditions.stalenessOf(outcome));
            assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome"))).getText())
                    .isEqualTo("[web] " + suggested + " exists; back up to a new file");

            // The health page runs the checks of the tag sqlite-engine: one per engine, with its status
            browser.get(console + "/healthcheck");
            WebElement tags = wait.until(ExpectedConditions.presenceOfElementLocated(By.name("tags")));
            tags.clear();
            tags.sendKeys("sqlite-engine");
            browser.findElement(By.cssSelector("input[type='submit'][value*='Execute']")).click();
            assertThat(healthResult(wait, "web")).contains("Tags: [sqlite-engine, web]").endsWith("Result: OK");
            assertThat(healthLog("web")).contains("OK state: running", "OK quick_check:", "OK wal:");
            assertThat(healthResult(wait, "main")).contains("Tags: [sqlite-engine, main]").endsWith("Result: OK");

            // Delete
            browser.get(console + "/configMgr");
            engineRow(wait, "web").findElement(By.cssSelector("li[title='Delete']")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            awaitShell(container, "engine:list", Pattern.compile("(?ms)\\A(?!.*^web\\s).*^main\\s+RUNNING"));
            assertThat(lastAnswer).doesNotContainPattern("(?m)^web\\s");
            // its health check went with it
            browser.get(console + "/healthcheck?tags=sqlite-engine");
            assertThat(healthResult(wait, "main")).endsWith("Result: OK");
            assertThat(browser.findElement(By.cssSelector("table.healthcheck")).getText()).doesNotContain("SQLite engine web")
                    .contains("1 HealthCheck executed, 0 failures");

            container.closeInput();
            assertThat(container.awaitExit()).isZero();
            assertThat(container.output()).doesNotContain("\tat ");
        }
    }

    @Test
    void theConsoleListensOnLoopbackOnlyAndTakesTheAccountFromItsConfiguration() throws Exception {
        int port = ContainerProcess.freePort();
        try (ContainerProcess container = ContainerProcess.felix(home, "--web", String.valueOf(port))) {
            container.awaitOutput("Welcome to Apache Felix Gogo");
            assertThat(container.output()).contains("web console on http://127.0.0.1:" + port + "/");
            String engines = "http://127.0.0.1:" + port + "/system/console/engines";
            assertThat(send(get(engines).header("Authorization", basic("admin", "admin"))).statusCode()).isEqualTo(200);
            assertThat(send(get(engines)).statusCode()).isEqualTo(401);

            // a new account, as docs/running.md says: a file in conf/, applied while the container runs
            Path account = home.resolve("conf").resolve("org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg");
            // written whole (moved into place), so FileInstall never reads it half written
            Path draft = Files.writeString(home.resolve("account.draft"), "username=operator\npassword=change-me-too\n");
            Files.move(draft, account, StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    send(get(engines).header("Authorization", basic("operator", "change-me-too"))).statusCode())
                    .as(container::output).isEqualTo(200));
            assertThat(send(get(engines).header("Authorization", basic("admin", "admin"))).statusCode()).isEqualTo(401);
            // the Web Console stores the password hashed, and FileInstall writes that back into the file
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(account))
                    .contains("password = {sha-256}").doesNotContain("change-me-too"));

            for (InetAddress address : nonLoopbackAddresses()) {
                assertThatThrownBy(() -> new Socket(address, port).close()).as("port %d on %s", port, address)
                        .isInstanceOf(IOException.class);
            }

            // An action needs the page's form token: another site cannot post one
            String page = send(get(engines).header("Authorization", basic("operator", "change-me-too"))).body();
            Matcher token = Pattern.compile("name=\"token\" value=\"([0-9a-f]+)\"").matcher(page);
            assertThat(token.find()).as(page).isTrue();
            assertThat(post(engines, "engine=main&action=checkpoint").statusCode()).isEqualTo(403);
            assertThat(post(engines, "engine=main&action=checkpoint&token=" + "0".repeat(48)).statusCode()).isEqualTo(403);
            HttpResponse<String> unknownAction = post(engines, "engine=main&action=vacuum&token=" + token.group(1));
            assertThat(unknownAction.statusCode()).isEqualTo(400);
            assertThat(unknownAction.body()).contains("unknown action &apos;vacuum&apos;; allowed: [checkpoint, backup]");
            HttpResponse<String> checkpoint = post(engines, "engine=main&action=checkpoint&token=" + token.group(1));
            assertThat(checkpoint.statusCode()).isEqualTo(303);
            String outcome = URLDecoder.decode(checkpoint.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8);
            assertThat(outcome).startsWith("/system/console/engines?outcome=[main] checkpoint (TRUNCATE): busy=0");
            container.closeInput();
            assertThat(container.awaitExit()).isZero();
        }
    }

    @Test
    void aPortThatIsNoTcpPortIsRefusedNamingIt() throws Exception {
        for (String port : List.of("70000", "eighty")) {
            try (ContainerProcess container = ContainerProcess.felix(home, "--web", port)) {
                assertThat(container.awaitExit()).isEqualTo(2);
                assertThat(container.output()).contains("sqlite-engine: --web PORT must be a TCP port from 1 to 65535, not")
                        .contains(port).doesNotContain("Welcome");
            }
        }
    }

    /** The configuration row of an engine: the Web Console labels it with the OCD's name hint, "{name} ({path})". */
    private WebElement engineRow(WebDriverWait wait, String name) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//tr[@fpid='" + ENGINE_FACTORY + "' and not(contains(@class,'fpid'))][.//span[starts-with(normalize-space(.),'" + name + " (')]]")));
    }

    /** @return the backup's file field in an engine's row of the Engines page */
    private static WebElement engineFormField(WebDriverWait wait, String engine) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-engine='" + engine + "'] input[name='target']")));
    }

    /**
     * @return the health page's result line of an engine's check ("Tags: [...] Finished: ... Result: OK"):
     *         the row after the check's heading, "SQLite engine NAME"
     */
    private static String healthResult(WebDriverWait wait, String engine) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//table[contains(@class,'healthcheck')]"
                + "//tr[th[normalize-space(.)='SQLite engine " + engine + "']]/following-sibling::tr[1]"))).getText().strip();
    }

    /** @return the health page's log of an engine's check, one finding a line */
    private String healthLog(String engine) {
        return browser.findElement(By.xpath("//table[contains(@class,'healthcheck')]"
                + "//tr[th[normalize-space(.)='SQLite engine " + engine + "']]/following-sibling::tr[2]")).getText();
    }

    private void editForm(WebDriverWait wait, String name) {
        browser.get(browser.getCurrentUrl().replaceAll("(/system/console/configMgr).*", "$1"));
        engineRow(wait, name).findElement(By.cssSelector("li[title='Edit the configuration values']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("editorForm")));
    }

    private void save() {
        browser.findElement(By.xpath("//div[contains(@class,'ui-dialog-buttonpane')]//button[normalize-space(.)='Save']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.invisibilityOfElementLocated(By.id("editorForm")));
    }

    /** @return the value in the form field of a property (the Web Console renders text fields as textareas) */
    private String field(String property) {
        return browser.findElement(By.id("editorForm")).findElement(By.name(property)).getDomProperty("value");
    }

    private static void type(WebElement form, String property, String value) {
        WebElement input = form.findElement(By.name(property));
        input.clear();
        input.sendKeys(value);
    }

    private void awaitShell(ContainerProcess container, String command, Pattern expected) {
        lastAnswer = container.awaitShell(command, expected);
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> post(String url, String form) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic("operator", "change-me-too"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** This machine's addresses other than loopback, where the console must not answer. */
    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
    }


}
