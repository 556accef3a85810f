package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven through its chromedriver ({@code .ci/run} installs both), as
 * the web console tests use it. Offline: every host name fails to resolve, so a page works only
 * with what the container at 127.0.0.1 serves (no CDN could step in).
 */
final class Chromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {}

    /**
     * @param profile an empty folder for the browser's profile
     * @return a browser with a window of 1400 x 1000 pixels
     */
    static ChromeDriver start(Path profile) {
        assertThat(BINARY).as("Debian's chromium: apt-get install -y chromium chromium-driver (.ci/run does)").isExecutable();
        assertThat(DRIVER).as("Debian's chromium-driver: apt-get install -y chromium chromium-driver").isExecutable();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
