package dev.sqliteengine.impl.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqliteengine.api.ConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineSettingsTest {

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        map.put("path", "/tmp/x.db");
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void defaultsAreTheSeedProfile() {
        EngineSettings s = EngineSettings.parse(config(), "main", "pid");
        assertThat(s.name()).isEqualTo("main");
        assertThat(s.pragmas().get(Pragma.JOURNAL_MODE)).isEqualTo("WAL");
        assertThat(s.pragmas().get(Pragma.CACHE_SIZE)).isEqualTo("-64000");
        assertThat(s.pragmas().get(Pragma.FOREIGN_KEYS)).isEqualTo("ON");
        assertThat(s.pragmas().get(Pragma.SYNCHRONOUS)).isEqualTo("NORMAL");
        assertThat(s.pragmas().get(Pragma.BUSY_TIMEOUT)).isEqualTo("5000");
        assertThat(s.pragmas().get(Pragma.TEMP_STORE)).isEqualTo("MEMORY");
        assertThat(s.maxConnections()).isEqualTo(10);
        assertThat(s.asProperties()).containsEntry("pragma.journal_mode", "WAL").containsEntry("osgi.connection.max", 10);
    }

    @Test
    void healthThresholdsDefaultToTheDocumentedValuesAndZeroTurnsEachOff() {
        assertThat(EngineSettings.parse(config(), "main", null).health())
                .isEqualTo(new HealthSettings(3_600_000L, 10_000L, 64L * 1024 * 1024, 300_000L));
        assertThat(EngineSettings.parse(config("health.quickCheckInterval", "0", "health.saturationThreshold", 0,
                "health.walWarnSize", 0L, "health.errorWindow", "0"), "main", null).asProperties())
                .containsEntry("health.quickCheckInterval", 0L).containsEntry("health.saturationThreshold", 0L)
                .containsEntry("health.walWarnSize", 0L).containsEntry("health.errorWindow", 0L);
    }

    @Test
    void aBadHealthThresholdNamesThePropertyTheValueAndTheRange() {
        assertThatThrownBy(() -> EngineSettings.parse(config("health.saturationThreshold", 100), "main", null))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo("health.saturationThreshold");
                    assertThat(e.getMessage()).isEqualTo("[main] health.saturationThreshold=100 (Integer) is invalid:"
                            + " 0 (off) or milliseconds from 250 to 86400000");
                });
    }

    @Test
    void stringsFromCfgFilesConvertLikeTypedValues() {
        EngineSettings typed = EngineSettings.parse(config("osgi.connection.max", 4, "readOnly", true,
                "pragma.cache_size", -2000, "pragma.foreign_keys", false), "a", null);
        EngineSettings strings = EngineSettings.parse(config("osgi.connection.max", "4", "readOnly", "TRUE",
                "pragma.cache_size", " -2000 ", "pragma.foreign_keys", "off"), "a", null);
        assertThat(strings).isEqualTo(typed);
    }

    @Test
    void anExplicitNameWinsOverTheFactoryConfigurationName() {
        assertThat(EngineSettings.parse(config("name", "orders"), "fromPid", null).name()).isEqualTo("orders");
    }

    @Test
    void sizeChangesAreInPlaceAndPragmaChangesNeedANewPool() {
        EngineSettings base = EngineSettings.parse(config(), "a", null);
        assertThat(base.needsNewPool(EngineSettings.parse(config("osgi.connection.max", 3), "a", null))).isFalse();
        assertThat(base.needsNewPool(EngineSettings.parse(config("pragma.synchronous", "FULL"), "a", null))).isTrue();
        assertThat(base.needsNewPool(EngineSettings.parse(config("path", "/tmp/y.db"), "a", null))).isTrue();
    }

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of(config("path", null), "path"),
                Arguments.of(config("path", "  "), "path"),
                Arguments.of(config("path", "/tmp/a.db?load_extension=true"), "path"),
                Arguments.of(config("path", "file:/tmp/a.db"), "path"),
                Arguments.of(config("path", "/tmp/a\0.db"), "path"),
                Arguments.of(config("name", "bad name"), "name"),
                Arguments.of(config("name", "x".repeat(65)), "name"),
                Arguments.of(config("name", "a/b"), "name"),
                Arguments.of(config("pragma.journal_mode", "BOGUS"), "pragma.journal_mode"),
                Arguments.of(config("pragma.journal_mode", "WAL; DROP TABLE t"), "pragma.journal_mode"),
                Arguments.of(config("pragma.journal_mode", "WAL'--"), "pragma.journal_mode"),
                Arguments.of(config("pragma.synchronous", 7), "pragma.synchronous"),
                Arguments.of(config("pragma.cache_size", "64MB"), "pragma.cache_size"),
                Arguments.of(config("pragma.cache_size", "1; DROP TABLE t"), "pragma.cache_size"),
                Arguments.of(config("pragma.cache_size", 99_999_999), "pragma.cache_size"),
                Arguments.of(config("pragma.busy_timeout", -1), "pragma.busy_timeout"),
                Arguments.of(config("pragma.mmap_size", 1.5), "pragma.mmap_size"),
                Arguments.of(config("pragma.nope", "1"), "pragma.nope"),
                Arguments.of(config("pragma.load_extension", "1"), "pragma.load_extension"),
                Arguments.of(config("osgi.connection.max", -1), "osgi.connection.max"),
                Arguments.of(config("osgi.connection.max", 0), "osgi.connection.max"),
                Arguments.of(config("osgi.connection.max", "many"), "osgi.connection.max"),
                Arguments.of(config("osgi.connection.max", 1_000_000), "osgi.connection.max"),
                Arguments.of(config("osgi.connection.max", new int[] {1, 2}), "osgi.connection.max"),
                Arguments.of(config("osgi.connection.min", 5, "osgi.connection.max", 2), "osgi.connection.min"),
                Arguments.of(config("osgi.connection.timeout", 10), "osgi.connection.timeout"),
                Arguments.of(config("osgi.idle.timeout", 5), "osgi.idle.timeout"),
                Arguments.of(config("osgi.connection.lifetime", 1000), "osgi.connection.lifetime"),
                Arguments.of(config("osgi.connection.maxx", 3), "osgi.connection.maxx"),
                Arguments.of(config("pool.keepaliveTime", 60_000, "osgi.connection.lifetime", 40_000), "pool.keepaliveTime"),
                Arguments.of(config("readOnly", "yes please"), "readOnly"),
                Arguments.of(config("write.retries", 1000), "write.retries"),
                Arguments.of(config("write.queue", "fair"), "write.queue"),
                Arguments.of(config("write.queue", true), "write.queue"),
                Arguments.of(config("write.bargeLimit", 9), "write.bargeLimit"),
                Arguments.of(config("write.bargeLimit", 1_000_001), "write.bargeLimit"),
                Arguments.of(config("write.groupCommit", 0), "write.groupCommit"),
                Arguments.of(config("write.groupCommit", 1001), "write.groupCommit"),
                Arguments.of(config("write.groupCommit", "all"), "write.groupCommit"),
                Arguments.of(config("jmx.enabled", "maybe"), "jmx.enabled"),
                Arguments.of(config("jmx.enable", true), "jmx.enable"),
                Arguments.of(config("write.fairQueue", false), "write.fairQueue"),
                Arguments.of(config("drainTimeout", -5), "drainTimeout"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badConfigurations")
    void aBadValueIsRejectedNamingThePropertyAndWhatIsAllowed(Map<String, Object> config, String property) {
        assertThatThrownBy(() -> EngineSettings.parse(config, "main", "dev.sqliteengine.engine~main"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo(property);
                    String owner = property.equals("name") ? "dev.sqliteengine.engine~main" : "main";
                    assertThat(e.getMessage()).startsWith("[" + owner + "] " + property + "=").contains("is invalid:");
                    assertThat(e.getMessage()).doesNotContain("\0").doesNotContain("\n");
                });
    }

    @Test
    void aMissingNameWithoutAFactoryNameIsRejected() {
        assertThatThrownBy(() -> EngineSettings.parse(config(), null, "dev.sqliteengine.engine.1234"))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.property()).isEqualTo("name");
                    assertThat(e.getMessage()).startsWith("[dev.sqliteengine.engine.1234] name=<missing>");
                });
    }

    @Test
    void longValuesAreShortenedInMessages() {
        assertThatThrownBy(() -> EngineSettings.parse(config("pragma.journal_mode", "W".repeat(10_000)), "a", null))
                .hasMessageContaining("(10000 characters)")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }

    @Test
    void jmxIsOffByDefaultAndTakesABooleanOrItsText() {
        assertThat(EngineSettings.parse(config(), "a", null).jmxEnabled()).isFalse();
        assertThat(EngineSettings.parse(config("jmx.enabled", true), "a", null).jmxEnabled()).isTrue();
        assertThat(EngineSettings.parse(config("jmx.enabled", "true"), "a", null).asProperties()).containsEntry("jmx.enabled", true);
    }

    @Test
    void groupCommitTakesSixteenUnitsByDefaultAndChangesInPlace() {
        EngineSettings defaults = EngineSettings.parse(config(), "a", null);
        assertThat(defaults.groupCommit()).isEqualTo(16);
        assertThat(defaults.asProperties()).containsEntry("write.groupCommit", 16);
        EngineSettings alone = EngineSettings.parse(config("write.groupCommit", "1"), "a", null);
        assertThat(alone.groupCommit()).isEqualTo(1);
        assertThat(defaults.needsNewPool(alone)).as("group commit changes in place").isFalse();
    }

    @Test
    void theWriteQueueIsBoundedByDefaultAndTakesItsNamesInAnyCase() {
        EngineSettings defaults = EngineSettings.parse(config(), "a", null);
        assertThat(defaults.writeQueue()).isEqualTo(WriteQueue.BOUNDED);
        assertThat(defaults.bargeLimit()).isEqualTo(500);
        assertThat(defaults.asProperties()).containsEntry("write.queue", "bounded").containsEntry("write.bargeLimit", 500L);
        EngineSettings fifo = EngineSettings.parse(config("write.queue", " FIFO ", "write.bargeLimit", "2000"), "a", null);
        assertThat(fifo.writeQueue()).isEqualTo(WriteQueue.FIFO);
        assertThat(fifo.bargeLimit()).isEqualTo(2000);
        assertThat(EngineSettings.parse(config("write.queue", "barging"), "a", null).writeQueue()).isEqualTo(WriteQueue.BARGING);
        assertThat(defaults.needsNewPool(fifo)).as("the queue changes in place").isFalse();
    }

    @Test
    void theReplacedFairQueuePropertyIsRefusedNamingItsReplacement() {
        assertThatThrownBy(() -> EngineSettings.parse(config("write.fairQueue", "false"), "a", null))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                        .startsWith("[a] write.fairQueue=false is invalid:")
                        .contains("write.queue").contains("what true was").contains("barging, what false was"));
    }
}
