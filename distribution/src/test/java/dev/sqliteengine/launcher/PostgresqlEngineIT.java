package dev.sqliteengine.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar pointed at a PostgreSQL server the user names, as docs/running.md shows: the
 * password in a file of {@code HOME/secrets} or in an environment variable, the configuration
 * holding only a placeholder, so that the password is in no file of the container's but its own,
 * in no output and in no shell command line; and, when typed in plain, stored in Config Admin's
 * store as given (the page says so) while the shell and the web console show it masked.
 */
@ExtendWith(PostgresExtension.class)
class PostgresqlEngineIT {

    @TempDir
    Path home;

    @Test
    void anEngineMadeInTheShellReadsItsPasswordFromTheSecretsFolderOnceTheFileIsThere(PostgresDatabase database)
            throws Exception {
        String create = "engine:create orders type=postgresql url=" + database.jdbcUrl() + " user=" + database.user()
                + " 'password=$[secret:orders.password]'";
        try (ContainerProcess first = ContainerProcess.felix(home, "--run", create)) {
            assertThat(first.awaitExit()).as(first.output()).isEqualTo(1);
            assertThat(first.output()).contains("[orders] created dev.sqliteengine.engine~orders, but the engine FAILED:"
                    + " password=$[secret:orders.password] is invalid: a value, but the placeholder was not replaced: no"
                    + " readable file orders.password in the secrets folder");
        }
        Path secrets = home.resolve("secrets");
        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Path secret = Files.writeString(secrets.resolve("orders.password"), database.password() + "\n");

        // the next start hands the stored configuration over again, with the file's content
        try (ContainerProcess container = ContainerProcess.felix(home,
                "--run", "engine:query --write orders 'CREATE TABLE notes (id serial PRIMARY KEY, text text)'",
                "--run", "engine:query --write orders \"INSERT INTO notes (text) VALUES ('hello')\"",
                "--run", "engine:query orders 'SELECT text, current_user AS who FROM notes'",
                "--run", "engine:info orders")) {
            assertThat(container.awaitExit()).as(container.output()).isZero();
            assertThat(container.output()).contains("1 row changed")
                    // (a long value is shortened in the table)
                    .containsPattern("hello +" + database.user().substring(0, 20))
                    .containsPattern("(?m)^Server \\.+ " + java.util.regex.Pattern.quote(database.jdbcUrl()) + "$")
                    .doesNotContain(database.password());
        }
        assertThat(filesHolding(home, database.password())).as("files holding the password").containsExactly(secret);
    }

    @Test
    void aCfgFileInConfReadsItsPasswordFromAnEnvironmentVariable(PostgresDatabase database) throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("dev.sqliteengine.engine-stock.cfg"), String.join("\n",
                "type=postgresql", "url=" + database.jdbcUrl(), "user=" + database.user(),
                "password=$[env:STOCK_PASSWORD]", "osgi.connection.max=3", ""));

        try (ContainerProcess container = ContainerProcess.felix(home, Map.of("STOCK_PASSWORD", database.password()),
                "--run", "engine:query stock 'SELECT current_user AS who'", "--run", "engine:list")) {
            assertThat(container.awaitExit()).as(container.output()).isZero();
            assertThat(container.output()).containsPattern("(?m)^ *" + database.user() + " *$")
                    .containsPattern("(?m)^stock +RUNNING +jdbc:postgresql:").doesNotContain(database.password());
        }
        assertThat(filesHolding(home, database.password())).as("files holding the password").isEmpty();
    }

    @Test
    void aPasswordTypedInPlainIsStoredAsGivenAndShownMaskedInTheShellAndTheWebConsole(PostgresDatabase database)
            throws Exception {
        int port = ContainerProcess.freePort();
        try (ContainerProcess container = ContainerProcess.felix(home, "--web", String.valueOf(port))) {
            container.awaitOutput("web console on http://127.0.0.1:" + port);
            container.type("engine:create shop type=postgresql url=" + database.jdbcUrl() + " user=" + database.user()
                    + " password=" + database.password());
            container.awaitOutput("[shop] created");
            container.type("engine:info shop");
            container.awaitOutput("Effective settings");

            HttpResponse<String> form = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/system/console/configMgr/dev.sqliteengine.engine~shop.json"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "admin:admin".getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
            assertThat(form.body()).as("the Web Console's configuration form").contains("\"value\":\"" + database.user() + "\"")
                    .containsPattern("\"password\":\\{[^}]*\"value\":\"unmodified\"").doesNotContain(database.password());
            container.closeInput();
            assertThat(container.awaitExit()).isZero();
            assertThat(container.output()).contains("password=********").doesNotContain(database.password());
        }
        assertThat(filesHolding(home, database.password())).as("files holding the password, typed in plain")
                .isNotEmpty().allSatisfy(file -> assertThat(file).startsWith(home.resolve(Container.STORE)));
    }

    /** @return the regular files below the folder that hold the text (ASCII) */
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
}
