package dev.sqliteengine.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The commands of docs/karaf.md, run in a stock Apache Karaf: the same commands, in the same order,
 * one {@code bin/client} call per line there. The methods are the steps of that one session, in
 * order; each states what a Karaf user can rely on.
 *
 * <p>Where this differs from that page, and why: SSH listens on a free loopback port instead of
 * 8101, and the {@code management} boot feature (JMX over RMI, ports 1099 and 44444) is left out,
 * so that parallel builds on one machine cannot collide; Karaf's JVMs get JIT settings that start
 * faster ({@link Karaf}). And only when the local Maven repository
 * that Karaf reads does not hold exactly the bundles and features file this build made
 * ({@code mvn verify} on a machine where nothing was installed, or older jars installed earlier),
 * Karaf is also pointed at {@code target/reactor-repository}, those same files in Maven's layout.
 * Under {@code mvn install}, the README's test command, each module is installed before the next one
 * builds, and the test takes the page's route exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@ExtendWith(PostgresExtension.class)
class KarafIT {

    private static final String VERSION = System.getProperty("features.version");
    private static final String FEATURES = "mvn:dev.sqliteengine/config-admin/" + VERSION + "/xml/features";
    private static final Pattern DATA_SOURCE = Pattern.compile("(?m)^orders\\s*\\|.*\\|\\s*OK\\s*$");
    private static final Pattern SHOP_DATA_SOURCE = Pattern.compile("(?m)^shop\\s*\\|[^|]*\\|\\s*PostgreSQL\\s*\\|.*\\|\\s*OK\\s*$");

    private Karaf karaf;
    private Path cfg;
    private Path database;
    private Karaf.Result set;
    /** The database of the engine of type=postgresql, on a server the test starts (docs/postgresql-server.md). */
    private PostgresDatabase shop;
    private Path shopCfg;

    @BeforeAll
    void unpackConfigureAndStart(PostgresDatabase shopDatabase) throws Exception {
        shop = shopDatabase;
        karaf = Karaf.copyOf(Path.of(System.getProperty("karaf.dist")), Path.of(System.getProperty("karaf.home")));
        karaf.enableKarafUser();
        karaf.sshOnLoopback();
        karaf.withoutBootFeature("management");
        Path build = Path.of(System.getProperty("reactor.repository"));
        Optional<String> notInstalled = notInstalled(build, Path.of(System.getProperty("local.repository")));
        if (notInstalled.isPresent()) {
            karaf.preferMavenRepository(build);
        }
        System.out.println("Karaf on port " + karaf.sshPort() + " reads this build's bundles from "
                + notInstalled.map(why -> build + " (" + why + ")").orElse("the local Maven repository, as installed"));
        cfg = karaf.etc("dev.sqliteengine.engine-orders.cfg");
        shopCfg = karaf.etc("dev.sqliteengine.engine-shop.cfg");
        database = karaf.data().resolve("sqlite").resolve("orders.db");
        karaf.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    @Order(1)
    void theFeatureInstallsOnKarafsOwnScrConfigAdminAndLogging() throws Exception {
        Karaf.Result install = karaf.client("feature:repo-add " + FEATURES, "feature:install jdbc", "feature:install sqlite-engine");
        assertThat(install.exitCode()).as(install.toString()).isZero();

        Karaf.Result installed = karaf.client("feature:list -i", "bundle:list -s -t 0");
        assertThat(installed.exitCode()).as(installed.toString()).isZero();
        assertThat(installed.output()).as(installed.toString())
                .containsPattern("(?m)^sqlite-engine\\s*\\|.*\\|\\s*Started\\s*\\|")
                .containsPattern("(?m)^scr\\s*\\|.*\\|\\s*Started\\s*\\|");
        for (String bundle : List.of("dev.sqliteengine.api", "dev.sqliteengine.impl", "dev.sqliteengine.config",
                "com.zaxxer.HikariCP", "org.hdrhistogram.HdrHistogram", "org.xerial.sqlite-jdbc", "org.postgresql.jdbc")) {
            assertThat(installed.output()).as(installed.toString()).containsPattern("(?m)\\|\\s*Active\\s*\\|.*\\|\\s*" + Pattern.quote(bundle) + "\\s*$");
        }
        // Karaf's own: one SCR, one Config Admin, slf4j through Pax Logging; the feature adds none
        assertThat(bundles(installed, "org.apache.felix.scr")).as(installed.toString()).isEqualTo(1);
        assertThat(bundles(installed, "org.apache.felix.configadmin")).as(installed.toString()).isEqualTo(1);
        assertThat(bundles(installed, "slf4j.api")).as(installed.toString()).isZero();
    }

    @Test
    @Order(2)
    void aCfgInEtcIsAnEngineThatKarafsJdbcCommandsUse() throws Exception {
        Files.writeString(cfg, "path = ${karaf.data}/sqlite/orders.db\nosgi.connection.max = 4\n");
        awaitDataSource(true);

        Karaf.Result sql = karaf.client(
                "jdbc:execute orders CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)",
                "jdbc:execute orders INSERT INTO items(name) VALUES ('book'), ('pen')",
                "jdbc:query orders SELECT name FROM items ORDER BY id");
        assertThat(sql.exitCode()).as(sql.toString()).isZero();
        assertThat(rowsBelow(sql, "name")).as(sql.toString()).containsExactly("book", "pen");
        assertThat(database).exists();
    }

    /** Needs the engine:* commands to print (a command's returned value is not shown by bin/client). */
    @Test
    @Order(3)
    void engineListAndInfoPrintThroughBinClient() throws Exception {
        Karaf.Result shown = karaf.client("engine:list", "engine:info orders");
        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.output()).as(shown.toString())
                .containsPattern("(?m)^orders\\s+RUNNING\\s")       // engine:list (it shortens long paths)
                .containsPattern("(?m)^Path\\s.*/sqlite/orders\\.db$") // engine:info
                .containsPattern("(?m)^osgi\\.connection\\.max\\s+4\\s*$");
    }

    @Test
    @Order(4)
    void aFailingEngineCommandExitsNonZeroAndSaysWhy() throws Exception {
        Karaf.Result unknown = karaf.client("engine:info nosuch");
        assertThat(unknown.exitCode()).as(unknown.toString()).isNotZero();
        assertThat(unknown.output()).as(unknown.toString()).contains("no engine named nosuch");

        Karaf.Result refused = karaf.client("engine:set orders osgi.connection.max=0");
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.output()).as(refused.toString()).contains("osgi.connection.max").contains("1 to 1000");
    }

    @Test
    @Order(5)
    void engineSetAppliesAtOnceAndKarafWritesItBackToTheCfg() throws Exception {
        set = karaf.client("engine:set orders osgi.connection.max=7 osgi.connection.timeout=20000 write.queue=barging pragma.synchronous=FULL");
        assertThat(set.exitCode()).as(set.toString()).isZero();

        Karaf.Result synchronous = karaf.client("jdbc:query orders PRAGMA synchronous");
        assertThat(rowsBelow(synchronous, "synchronous")).as(synchronous.toString()).containsExactly("2"); // FULL

        // Karaf's FileInstall writes every change back to the .cfg, typed (I"7", L"20000", B"false")
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(cfg))
                .containsPattern("(?m)^osgi\\.connection\\.max\\s*=.*\\b7\\b")
                .containsPattern("(?m)^osgi\\.connection\\.timeout\\s*=.*\\b20000\\b")
                .containsPattern("(?m)^write\\.queue\\s*=.*\\bbarging\\b")
                .containsPattern("(?m)^pragma\\.synchronous\\s*=.*\\bFULL\\b"));
    }

    /** Needs the engine:* commands to print. */
    @Test
    @Order(6)
    void engineSetPrintsWhatItChanged() {
        assumeTrue(set != null, "engine:set ran");
        assertThat(set.output()).as(set.toString()).contains("[orders] updated").contains("osgi.connection.max=7");
    }

    @Test
    @Order(7)
    void binStopStopsKarafCleanlyWithTheEngineOpen() throws Exception {
        long mark = karaf.logMark();
        karaf.stop();

        String shutdown = karaf.logSince(mark);
        assertThat(shutdown).contains("[orders] engine closed").doesNotContainPattern("\\|\\s*ERROR\\s*\\|");
        assertThat(shutdown.lines().filter(l -> l.contains("WARN") && l.contains("sqlite")).toList()).isEmpty();
        Path wal = database.resolveSibling("orders.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("the WAL is checkpointed and truncated").isTrue();
        assertThat(integrityWithExclusiveLock(database)).isEqualTo("ok");
    }

    @Test
    @Order(8)
    void afterARestartTheEngineComesBackFromTheCfgKarafWrote() throws Exception {
        karaf.start();
        awaitDataSource(true); // not rejected: every typed value read back from the .cfg is valid

        Karaf.Result after = karaf.client("jdbc:query orders PRAGMA synchronous", "jdbc:query orders SELECT name FROM items ORDER BY id");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(rowsBelow(after, "synchronous")).as(after.toString()).containsExactly("2");
        assertThat(rowsBelow(after, "name")).as(after.toString()).containsExactly("book", "pen");
    }

    /** Needs the engine:* commands to print. */
    @Test
    @Order(9)
    void afterARestartEngineInfoShowsEverySettingThatEngineSetStored() throws Exception {
        Karaf.Result info = karaf.client("engine:info orders");
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.output()).as(info.toString())
                .containsPattern("(?m)^osgi\\.connection\\.max\\s+7\\s*$")
                .containsPattern("(?m)^osgi\\.connection\\.timeout\\s+20000\\s*$")
                .containsPattern("(?m)^write\\.queue\\s+barging\\s*$")
                .containsPattern("(?m)^pragma\\.synchronous\\s+FULL\\s*$");
    }

    @Test
    @Order(10)
    void editingTheCfgAppliesLive() throws Exception {
        String text = Files.readString(cfg);
        String edited = text.replaceFirst("(?m)^pragma\\.synchronous = .*$", "pragma.synchronous = \"NORMAL\"");
        assertThat(edited).as("the .cfg as Karaf wrote it:\n" + text).isNotEqualTo(text);
        Files.writeString(cfg, edited);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Karaf.Result synchronous = karaf.client("jdbc:query orders PRAGMA synchronous");
            assertThat(rowsBelow(synchronous, "synchronous")).as(synchronous.toString()).containsExactly("1"); // NORMAL
        });
    }

    @Test
    @Order(11)
    void deletingTheCfgRemovesTheEngine() throws Exception {
        Files.delete(cfg);
        awaitDataSource(false);
        assertThat(database).exists(); // the data stays; only the engine goes
    }

    @Test
    @Order(12)
    void aPostgresqlEngineFromACfgWithItsPasswordInASecretFileServesKarafsJdbcCommands() throws Exception {
        // Karaf's Config Admin interpolation plugin reads $[secret:NAME] from etc/NAME
        Path secret = karaf.etc("shop.password");
        Files.writeString(secret, shop.password());
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(shopCfg, "type = postgresql\nurl = " + shop.jdbcUrl() + "\nuser = " + shop.user()
                + "\npassword = $[secret:shop.password]\n");
        awaitDataSource(SHOP_DATA_SOURCE, true);

        Karaf.Result sql = karaf.client(
                "jdbc:execute shop CREATE TABLE items(id int PRIMARY KEY, name text)",
                "jdbc:execute shop INSERT INTO items VALUES (1, 'book'), (2, 'pen')",
                "jdbc:query shop SELECT name FROM items ORDER BY id");
        assertThat(sql.exitCode()).as(sql.toString()).isZero();
        assertThat(rowsBelow(sql, "name")).as(sql.toString()).containsExactly("book", "pen");
        assertThat(itemsOnTheServer()).isEqualTo(2);
    }

    /** Needs the engine:* commands to print. */
    @Test
    @Order(13)
    void theShellRunsQueriesOnThePostgresqlEngineAndShowsItsServerButNeverItsPassword() throws Exception {
        Karaf.Result shown = karaf.client("engine:query shop 'SELECT count(*) AS items, current_user AS who FROM items'",
                "engine:info shop", "engine:list");
        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.output()).as(shown.toString())
                .containsPattern("(?m)^\\s*2\\s+" + Pattern.quote(shop.user()) + "\\s*$")             // engine:query
                .containsPattern("(?m)^Server\\s.*" + Pattern.quote(shop.jdbcUrl()) + "$")          // engine:info
                .containsPattern("(?m)^PostgreSQL\\s\\.+ \\d+")
                .containsPattern("(?m)^shop\\s+RUNNING\\s")                                           // engine:list
                .doesNotContain(shop.password());
        assertThat(filesHolding(karaf.home(), shop.password())).as("files of Karaf holding the password")
                .containsExactly(karaf.etc("shop.password"));
    }

    @Test
    @Order(14)
    void deletingThePostgresqlEnginesCfgRemovesTheEngineAndItsRowsStayOnTheServer() throws Exception {
        Files.delete(shopCfg);
        awaitDataSource(SHOP_DATA_SOURCE, false);
        assertThat(itemsOnTheServer()).isEqualTo(2);
    }

    /** @return the rows of shop's table items, read on the server directly */
    private int itemsOnTheServer() throws SQLException {
        try (Connection c = shop.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet count = s.executeQuery("SELECT count(*) FROM items")) {
            count.next();
            return count.getInt(1);
        }
    }

    /** Polls {@code jdbc:ds-list} until the engine's DataSource is listed, or no longer listed. */
    private void awaitDataSource(boolean listed) {
        awaitDataSource(DATA_SOURCE, listed);
    }

    private void awaitDataSource(Pattern row, boolean listed) {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Karaf.Result list = karaf.client("jdbc:ds-list");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            if (listed) {
                assertThat(list.output()).as(list.toString()).containsPattern(row);
            } else {
                assertThat(list.output()).as(list.toString()).doesNotContainPattern(row);
            }
        });
    }

    /**
     * @return the regular files below the folder that hold the text (ASCII), in any encoding that
     *         keeps ASCII as it is: configuration stores, {@code .cfg} files, logs, caches
     */
    private static List<Path> filesHolding(Path folder, String text) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text)) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    /** The values of a one-column table that Karaf's {@code jdbc:query} printed under {@code header}. */
    private static List<String> rowsBelow(Karaf.Result result, String header) {
        List<String> lines = result.output().lines().map(String::strip).toList();
        int at = lines.indexOf(header);
        if (at < 0 || at + 1 >= lines.size() || !lines.get(at + 1).matches("-+")) {
            return List.of();
        }
        List<String> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size(); i++) {
            boolean nextTableHeader = i + 1 < lines.size() && lines.get(i + 1).matches("-+");
            if (lines.get(i).isEmpty() || nextTableHeader) {
                break;
            }
            rows.add(lines.get(i));
        }
        return rows;
    }

    /** How many bundles {@code bundle:list -s} shows with this symbolic name. */
    private static long bundles(Karaf.Result list, String symbolicName) {
        Pattern row = Pattern.compile("\\|\\s*" + Pattern.quote(symbolicName) + "\\s*$");
        return list.output().lines().filter(l -> row.matcher(l).find()).count();
    }

    /**
     * Why Karaf cannot take this build's artifacts from the local Maven repository it reads
     * ({@code ~/.m2/repository}, pax-url's default), or empty when every file there is
     * byte for byte the one this build made.
     */
    private static Optional<String> notInstalled(Path build, Path localRepository) throws IOException {
        Path karafReads = Path.of(System.getProperty("user.home"), ".m2", "repository");
        if (!Files.exists(karafReads) || !Files.exists(localRepository)
                || !karafReads.toRealPath().equals(localRepository.toRealPath())) {
            return Optional.of("Maven's local repository is " + localRepository + ", Karaf reads " + karafReads);
        }
        List<Path> made; // the jars and the features file, not the bookkeeping copy-dependencies writes beside them
        try (Stream<Path> files = Files.walk(build)) {
            made = files.filter(Files::isRegularFile).filter(f -> {
                String name = f.getFileName().toString();
                return !name.startsWith("maven-metadata") && !name.equals("_remote.repositories");
            }).toList();
        }
        if (made.stream().noneMatch(f -> f.getFileName().toString().endsWith("-features.xml"))) {
            throw new IllegalStateException("no features file in " + build + " (copy-dependencies lays it out in pre-integration-test)");
        }
        for (Path file : made) {
            Path installed = localRepository.resolve(build.relativize(file).toString());
            if (!Files.exists(installed) || Files.mismatch(file, installed) != -1) {
                return Optional.of(installed + " is not the one this build made");
            }
        }
        return Optional.empty();
    }

    /** Opens the database as another program would: exclusively, which fails while anyone holds it. */
    private static String integrityWithExclusiveLock(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA locking_mode=EXCLUSIVE");
            s.execute("BEGIN EXCLUSIVE");
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                r.next();
                String result = r.getString(1);
                s.execute("COMMIT");
                return result;
            }
        }
    }
}
