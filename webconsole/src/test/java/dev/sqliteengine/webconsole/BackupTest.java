package dev.sqliteengine.webconsole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Engines page's Backup action on a real engine and a real file, as the page runs it. */
class BackupTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2026-12-01T12:00:00.250Z"), ZoneOffset.UTC);

    @TempDir
    Path folder;

    private final Backup backup = new Backup(NOON);
    private Engine engine;

    @BeforeEach
    void openEngine() {
        EngineFactory factory = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow();
        engine = factory.create(Map.of("name", "shop", "path", folder.resolve("shop.db").toString()));
        engine.connections().write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders(id INTEGER PRIMARY KEY, item TEXT)");
                s.execute("INSERT INTO orders(item) VALUES ('tea'), ('cake')");
            }
            return null;
        });
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void theSuggestedFileIsWhereTheBackupGoesAndHoldsTheRowsReadableByItsOwnerOnly() throws Exception {
        String suggested = backup.suggestedFile(engine.status());
        assertThat(suggested).isEqualTo(folder.resolve("backups/shop-20261201-120000-250-manual.db").toString());

        String outcome = backup.run(engine, Map.of(Backup.TARGET, suggested));

        Path file = Path.of(suggested);
        assertThat(outcome).startsWith("[shop] backed up to " + file + ": " + Files.size(file) + " bytes, ")
                .containsPattern("pages, integrity_check ok; started 20\\d\\d-\\d\\d-\\d\\dT[^ ]+Z, took \\d+ ms$");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT group_concat(item, ',') FROM orders")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("tea,cake");
        }
    }

    @Test
    void aBackupTakenHereInTheBackupDirectoryIsNeverPrunedByTheScheduledOnes() throws Exception {
        Path directory = folder.resolve("scheduled");
        Pattern scheduled = Pattern.compile("till-\\d{8}-\\d{6}-\\d{3}\\.db");
        Path manual = directory.resolve("till-20261201-120000-250-manual.db");
        try (Engine till = ServiceLoader.load(EngineFactory.class).findFirst().orElseThrow().create(Map.of(
                "name", "till", "path", folder.resolve("till.db").toString(),
                "backup.directory", directory.toString(), "backup.interval", "1000", "backup.retain", "1"))) {
            assertThat(backup.suggestedFile(till.status())).isEqualTo(manual.toString());
            backup.run(till, Map.of(Backup.TARGET, manual.toString()));

            // the first scheduled backup, then a later one that prunes it (retain 1)
            Path first = await().atMost(Duration.ofSeconds(30)).until(() -> newest(directory, scheduled), Objects::nonNull);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(first));
        }
        assertThat(manual).isRegularFile();
    }

    /** @return the newest file of the scheduled backups' name pattern, or null */
    private static Path newest(Path directory, Pattern scheduled) throws IOException {
        if (!Files.isDirectory(directory)) {
            return null;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> scheduled.matcher(f.getFileName().toString()).matches()).max(Comparator.naturalOrder())
                    .orElse(null);
        }
    }

    @Test
    void anExistingFileIsRefusedWithTheEnginesMessageAndKept() throws Exception {
        Path existing = Files.writeString(folder.resolve("notes.txt"), "keep me");

        assertThatThrownBy(() -> backup.run(engine, Map.of(Backup.TARGET, existing.toString())))
                .isInstanceOf(EngineException.class)
                .hasMessage("[shop] " + existing + " exists; back up to a new file");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
    }

    @Test
    void aMissingOrRelativeFileIsRefusedNamingWhatIsAllowed() {
        assertThatThrownBy(() -> backup.run(engine, Map.of()))
                .hasMessage("[shop] a backup needs a file: type an absolute path to a new file into the field");
        assertThatThrownBy(() -> backup.run(engine, Map.of(Backup.TARGET, "  ")))
                .hasMessage("[shop] a backup needs a file: type an absolute path to a new file into the field");
        assertThatThrownBy(() -> backup.run(engine, Map.of(Backup.TARGET, "backups/shop.db")))
                .hasMessage("[shop] the backup file must be an absolute path, not 'backups/shop.db'");
        assertThatThrownBy(() -> backup.run(engine, Map.of(Backup.TARGET, "/tmp/a\0b.db")))
                .hasMessageStartingWith("[shop] the backup file '/tmp/a\0b.db' is no path: ");
        assertThat(folder.resolve("backups")).doesNotExist();
    }
}
