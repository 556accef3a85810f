package dev.sqliteengine.impl.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqliteengine.api.ConfigurationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code type} and the settings of each database type: SQLite's stay as they were, PostgreSQL's
 * are checked with messages that name the property, the value and what is allowed (never a
 * password), and the other type's properties are ignored, and named.
 */
class DatabaseTypeSettingsTest {

    private static final String SECRET = "S3cr3t-pw";

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> postgresql(Object... more) {
        Map<String, Object> map = map("type", "postgresql", "url", "jdbc:postgresql://127.0.0.1:5432/orders",
                "user", "app", "password", SECRET);
        map.putAll(map(more));
        return map;
    }

    private static EngineSettings parse(Map<String, Object> properties) {
        return EngineSettings.parse(properties, "main", null);
    }

    private static ConfigurationException refused(Map<String, Object> properties) {
        ConfigurationException e = catchThrowableOfType(() -> parse(properties), ConfigurationException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).startsWith("[main] ").doesNotContain(SECRET);
        return e;
    }

    @Test
    void withoutATypeAnEngineIsSqliteWithItsSettingsAsBefore() {
        EngineSettings s = parse(map("path", "/tmp/x.db"));

        assertThat(s.type()).isEqualTo("sqlite");
        assertThat(s.path()).isEqualTo("/tmp/x.db");
        assertThat(s.writeConnections()).isEqualTo(1);
        assertThat(s.ignored()).isEmpty();
        assertThat(s.asProperties()).containsEntry("type", "sqlite").containsEntry("path", "/tmp/x.db")
                .containsKeys("pragma.journal_mode", "maintenance.slice", "health.walWarnSize")
                .doesNotContainKeys("url", "user", "isolation", "lockTimeout", "write.connections");
    }

    @Test
    void anUnknownTypeIsRefusedSayingWhichAreKnown() {
        ConfigurationException e = refused(map("type", "mysql", "path", "/tmp/x.db"));

        assertThat(e.property()).isEqualTo("type");
        assertThat(e.getMessage()).isEqualTo("[main] type=mysql is invalid: sqlite (a SQLite database file, the default)"
                + " or postgresql (a PostgreSQL server)");
    }

    @Test
    void aPostgresqlEngineHasItsDefaultsAndNoSqliteProperties() {
        EngineSettings s = parse(postgresql());

        PostgresqlSettings p = s.postgresql();
        assertThat(p.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/orders");
        assertThat(p.user()).isEqualTo("app");
        assertThat(p.password().reveal()).isEqualTo(SECRET);
        assertThat(p.isolation()).isEqualTo(Isolation.READ_COMMITTED);
        assertThat(p.lockTimeout()).isEqualTo(5000);
        assertThat(s.writeConnections()).isEqualTo(10);
        assertThat(s.inMemory()).isFalse();
        assertThat(s.asProperties()).containsEntry("type", "postgresql").containsEntry("isolation", "READ_COMMITTED")
                .containsEntry("write.connections", 10).containsEntry("lockTimeout", 5000L)
                .doesNotContainKeys("password", "path", "pragma.journal_mode", "maintenance.slice", "backup.interval",
                        "health.quickCheckInterval", "health.walWarnSize")
                .containsKeys("health.saturationThreshold", "health.errorWindow", "write.retries");
    }

    @Test
    void thePasswordIsInNoStringOfTheSettings() {
        EngineSettings s = parse(postgresql());

        assertThat(s.toString()).doesNotContain(SECRET);
        assertThat(s.postgresql().toString()).doesNotContain(SECRET).contains("********");
        assertThat(s.asProperties().toString()).doesNotContain(SECRET);
    }

    @Test
    void hostPortAndDatabaseMakeTheUrl() {
        assertThat(parse(map("type", "postgresql", "host", "db.example", "port", "6543", "database", "order book"))
                .postgresql().url()).isEqualTo("jdbc:postgresql://db.example:6543/order%20book");
        assertThat(parse(map("type", "postgresql", "host", "::1")).postgresql().url())
                .isEqualTo("jdbc:postgresql://[::1]:5432/");
    }

    @Test
    void theServerIsGivenOnceAndOnlyOnce() {
        assertThat(refused(map("type", "postgresql")).property()).isEqualTo("url");
        ConfigurationException both = refused(postgresql("host", "db.example"));
        assertThat(both.property()).isEqualTo("host");
        assertThat(both.getMessage()).contains("either by url or by host, port and database, not both");
        assertThat(refused(postgresql("port", 5433)).property()).isEqualTo("port");
        assertThat(refused(map("type", "postgresql", "host", "bad host!")).property()).isEqualTo("host");
        assertThat(refused(map("type", "postgresql", "host", "db", "port", 70000)).getMessage())
                .isEqualTo("[main] port=70000 (Integer) is invalid: a port from 1 to 65535");
    }

    @Test
    void aUrlMustBePostgresqlsAndHoldNoPassword() {
        ConfigurationException sqlite = refused(postgresql("url", "jdbc:sqlite:/tmp/x.db"));
        assertThat(sqlite.getMessage()).isEqualTo("[main] url=jdbc:sqlite:/tmp/x.db is invalid: a PostgreSQL JDBC URL:"
                + " jdbc:postgresql://host[:port]/database");

        ConfigurationException withPassword = refused(postgresql("url",
                "jdbc:postgresql://db/orders?user=app&password=" + SECRET + "&ssl=true"));
        assertThat(withPassword.property()).isEqualTo("url");
        assertThat(withPassword.value()).isEqualTo("jdbc:postgresql://db/orders?user=app&password=********&ssl=true");
        assertThat(withPassword.getMessage()).contains("a URL without a password: give it in the property password");
    }

    @Test
    void theIsolationLevelIsOneOfThree() {
        assertThat(parse(postgresql("isolation", "serializable")).postgresql().isolation()).isEqualTo(Isolation.SERIALIZABLE);
        assertThat(parse(postgresql("isolation", "repeatable read")).postgresql().isolation())
                .isEqualTo(Isolation.REPEATABLE_READ);

        assertThat(refused(postgresql("isolation", "SNAPSHOT")).getMessage()).isEqualTo(
                "[main] isolation=SNAPSHOT is invalid: one of READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE");
    }

    @Test
    void writersAndLockWaitsHaveTheirRanges() {
        assertThat(parse(postgresql("write.connections", 3)).writeConnections()).isEqualTo(3);
        assertThat(refused(postgresql("write.connections", 0)).getMessage())
                .isEqualTo("[main] write.connections=0 (Integer) is invalid: an integer from 1 to 1000");
        assertThat(parse(postgresql("lockTimeout", 0)).postgresql().lockTimeout()).isZero();
        assertThat(refused(postgresql("lockTimeout", -1)).property()).isEqualTo("lockTimeout");
    }

    @Test
    void aPasswordGivenAsAListIsRefusedWithoutItsValue() {
        ConfigurationException e = refused(postgresql("password", new String[] {SECRET, SECRET}));
        assertThat(e.property()).isEqualTo("password");
        assertThat(e.value()).isEqualTo("********");
    }

    @Test
    void sqlitePropertiesLeftInAPostgresqlConfigurationAreIgnoredAndNamed() {
        EngineSettings s = parse(postgresql("path", "/tmp/x.db", "pragma.journal_mode", "not even valid",
                "maintenance.slice", "abc", "health.walWarnSize", 1));

        assertThat(s.ignored()).containsExactly("health.walWarnSize", "maintenance.slice", "path", "pragma.journal_mode");
        assertThat(s.asProperties()).doesNotContainKeys("path", "pragma.journal_mode");
    }

    @Test
    void postgresqlPropertiesLeftInASqliteConfigurationAreIgnoredAndNamed() {
        EngineSettings s = parse(map("path", "/tmp/x.db", "url", "jdbc:postgresql://db/x", "password", SECRET,
                "write.connections", 4, "isolation", "bogus"));

        assertThat(s.ignored()).containsExactly("isolation", "password", "url", "write.connections");
        assertThat(s.writeConnections()).isEqualTo(1);
        assertThat(s.asProperties()).doesNotContainKeys("url", "password", "isolation", "write.connections");
    }

    @Test
    void onlyAChangeOfTheConnectionsNeedsNewConnections() {
        EngineSettings s = parse(postgresql());

        assertThat(s.needsNewPool(parse(postgresql("write.connections", 2, "osgi.connection.max", 3)))).isFalse();
        for (Map<String, Object> next : List.of(postgresql("password", "other"), postgresql("user", "other"),
                postgresql("isolation", "SERIALIZABLE"), postgresql("lockTimeout", 100),
                postgresql("url", "jdbc:postgresql://127.0.0.1:5433/orders"), postgresql("readOnly", true))) {
            assertThat(s.needsNewPool(parse(next))).as("%s", next.keySet()).isTrue();
        }
    }
}
