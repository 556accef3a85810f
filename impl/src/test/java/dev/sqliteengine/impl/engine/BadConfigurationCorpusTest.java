package dev.sqliteengine.impl.engine;

import static dev.sqliteengine.api.EngineProperties.NAME;
import static dev.sqliteengine.api.EngineProperties.PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineFactory;
import dev.sqliteengine.corpus.BadConfigurations.Case;
import dev.sqliteengine.corpus.BadConfigurations;
import dev.sqliteengine.impl.settings.Pragma;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration of the bad configuration corpus ({@code bad-configurations.txt}), given to
 * the {@link EngineFactory} as a caller outside OSGi would: refused with a
 * {@link ConfigurationException} naming the property, with a one-line message, and nothing left
 * open behind it.
 */
class BadConfigurationCorpusTest {

    /** The name a case's engine gets unless the case sets one. */
    private static final String DEFAULT_NAME = "corpus";
    private static final String TAKEN = "taken";
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @TempDir
    static Path dir;

    static EngineFactory factory;
    static Engine taken;
    static Map<String, String> placeholders;

    @BeforeAll
    static void anotherEngineRunsOnTakenDb() throws IOException {
        factory = new SqliteEngineFactory();
        Path file = Files.writeString(dir.resolve("afile"), "a regular file, not a folder");
        placeholders = Map.of("dir", dir.toString(), "file", file.toString(), "taken", TAKEN);
        taken = factory.create(Map.of(NAME, TAKEN, PATH, dir.resolve("taken.db").toString()));
    }

    @AfterAll
    static void closeTheOtherEngine() {
        taken.close();
    }

    static List<Case> corpus() {
        return BadConfigurations.all();
    }

    @Test
    void the_corpus_has_at_least_60_cases_covering_every_pragma() {
        List<Case> cases = corpus();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        for (Pragma pragma : Pragma.values()) {
            assertThat(cases).as(pragma.property()).anyMatch(c -> c.property().equals(pragma.property()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void is_refused_naming_the_property_in_one_line_and_leaves_nothing_open(Case bad) {
        Map<String, Object> properties = withDefaults(bad);

        Throwable thrown = catchThrowable(() -> {
            Engine accepted = factory.create(properties);
            accepted.close();
            throw new AssertionError("accepted, with settings " + accepted.status().settings());
        });

        assertThat(thrown).as("%s (line %d)", bad, bad.line()).isInstanceOf(ConfigurationException.class);
        ConfigurationException refused = (ConfigurationException) thrown;
        assertThat(refused.property()).as(refused.getMessage()).isEqualTo(bad.property());
        assertThat(refused.getMessage()).contains(bad.property()).doesNotContain("\0", "\n", "\r");
        assertThatCode(() -> factory.create(Map.of(NAME, reusableName(bad, properties), PATH, defaultPath(bad))).close())
                .as("the name and the file are free again").doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void is_refused_by_validate_unless_only_opening_finds_it(Case bad) {
        Throwable thrown = catchThrowable(() -> factory.validate(withDefaults(bad)));

        if (bad.detectedOnOpen()) {
            assertThat(thrown).as("validate does not open anything").isNull();
        } else {
            assertThat(thrown).as("%s (line %d)", bad, bad.line()).isInstanceOf(ConfigurationException.class);
            assertThat(((ConfigurationException) thrown).property()).isEqualTo(bad.property());
        }
    }

    private static Map<String, Object> withDefaults(Case bad) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(NAME, DEFAULT_NAME);
        properties.put(PATH, defaultPath(bad));
        properties.putAll(bad.properties(placeholders));
        return properties;
    }

    private static String defaultPath(Case bad) {
        return dir.resolve("case-" + bad.line() + ".db").toString();
    }

    /** The case's own name if an engine could ever have it, so that we see it was released. */
    private static String reusableName(Case bad, Map<String, Object> properties) {
        Object name = properties.get(NAME);
        return name instanceof String s && VALID_NAME.matcher(s).matches() && !s.equals(TAKEN) ? s : DEFAULT_NAME;
    }
}
