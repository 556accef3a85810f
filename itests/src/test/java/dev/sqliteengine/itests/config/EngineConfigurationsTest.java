package dev.sqliteengine.itests.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.api.EngineProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** The EngineConfigurations service: engine configurations in Config Admin, validated before they are stored. */
class EngineConfigurationsTest {

    static final Duration STARTUP = Duration.ofSeconds(20);

    @InjectService(timeout = 10_000)
    EngineConfigurations configurations;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path dir;

    @AfterEach
    void deleteEngineConfigurations() throws Exception {
        ConfigTestSupport.deleteAll(admin, context);
    }

    private Map<String, Object> engineAt(String file, Object... more) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EngineProperties.PATH, dir.resolve(file).toString());
        for (int i = 0; i < more.length; i += 2) {
            properties.put((String) more[i], more[i + 1]);
        }
        return properties;
    }

    private Configuration stored(String name) throws IOException, InvalidSyntaxException {
        Configuration[] found = admin.listConfigurations(
                "(service.pid=" + EngineProperties.FACTORY_PID + "~" + name + ")");
        return found == null ? null : found[0];
    }

    @Nested
    class Create {

        @Test
        void stores_a_factory_configuration_named_after_the_engine_and_the_engine_starts() throws Exception {
            EngineConfiguration created = configurations.create("cfgCreate", engineAt("create.db",
                    EngineProperties.CONNECTION_MAX, "4"));

            assertThat(created.name()).isEqualTo("cfgCreate");
            assertThat(created.pid()).isEqualTo("dev.sqliteengine.engine~cfgCreate");
            assertThat(stored("cfgCreate").getFactoryPid()).isEqualTo(EngineProperties.FACTORY_PID);
            await().atMost(STARTUP).until(() -> configurations.get("cfgCreate").map(EngineConfiguration::state),
                    state -> state.equals(Optional.of(State.RUNNING)));
            assertThat(ConfigTestSupport.engine(context, "cfgCreate")).isPresent();
        }

        @Test
        void stores_numbers_given_as_text_with_their_documented_type() throws Exception {
            configurations.create("cfgTyped", engineAt("typed.db",
                    EngineProperties.CONNECTION_MAX, "4", EngineProperties.CONNECTION_TIMEOUT, "5000",
                    EngineProperties.READ_ONLY, "false"));

            assertThat(stored("cfgTyped").getProperties().get(EngineProperties.CONNECTION_MAX)).isEqualTo(4);
            assertThat(stored("cfgTyped").getProperties().get(EngineProperties.CONNECTION_TIMEOUT)).isEqualTo(5000L);
            assertThat(stored("cfgTyped").getProperties().get(EngineProperties.READ_ONLY)).isEqualTo(false);
        }

        @Test
        void an_invalid_configuration_is_refused_naming_the_property_and_nothing_is_stored() throws Exception {
            assertThatThrownBy(() -> configurations.create("cfgBad", engineAt("bad.db",
                    EngineProperties.CONNECTION_MAX, "0")))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.property()).isEqualTo(EngineProperties.CONNECTION_MAX))
                    .hasMessageStartingWith("[cfgBad] osgi.connection.max=0 is invalid");

            assertThat(stored("cfgBad")).isNull();
            assertThat(configurations.get("cfgBad")).isEmpty();
        }

        @Test
        void a_configuration_without_a_path_is_refused() {
            assertThatThrownBy(() -> configurations.create("cfgNoPath", Map.of()))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.property()).isEqualTo(EngineProperties.PATH));
        }

        @Test
        void a_second_configuration_with_the_same_name_is_refused() {
            configurations.create("cfgTwice", engineAt("twice.db"));

            assertThatThrownBy(() -> configurations.create("cfgTwice", engineAt("twice2.db")))
                    .isInstanceOf(EngineException.class)
                    .hasMessage("[cfgTwice] an engine configuration named cfgTwice exists already"
                            + " (dev.sqliteengine.engine~cfgTwice); update it instead");
        }

        @Test
        void a_configuration_stored_under_the_name_that_names_another_engine_is_never_overwritten() throws Exception {
            Configuration other = admin.getFactoryConfiguration(EngineProperties.FACTORY_PID, "cfgTaken", "?");
            other.update(new Hashtable<>(Map.of(EngineProperties.NAME, "cfgElse",
                    EngineProperties.PATH, dir.resolve("else.db").toString())));

            assertThatThrownBy(() -> configurations.create("cfgTaken", engineAt("taken.db")))
                    .isInstanceOf(EngineException.class)
                    .hasMessage("[cfgTaken] the configuration dev.sqliteengine.engine~cfgTaken exists already and names"
                            + " the engine cfgElse; choose another name, or change that configuration");

            assertThat(stored("cfgTaken").getProperties().get(EngineProperties.NAME)).isEqualTo("cfgElse");
            assertThat(stored("cfgTaken").getProperties().get(EngineProperties.PATH))
                    .isEqualTo(dir.resolve("else.db").toString());
        }

        @Test
        void a_name_property_other_than_the_configuration_name_is_refused() {
            assertThatThrownBy(() -> configurations.create("cfgName", engineAt("name.db", EngineProperties.NAME, "other")))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.property()).isEqualTo(EngineProperties.NAME));
        }
    }

    @Nested
    class Update {

        @BeforeEach
        void runningEngine() {
            configurations.create("cfgUpd", engineAt("upd.db", EngineProperties.CONNECTION_MAX, 4));
            await().atMost(STARTUP).until(() -> ConfigTestSupport.engine(context, "cfgUpd").isPresent());
        }

        @Test
        void merges_the_changes_into_the_stored_configuration_and_the_engine_applies_them() throws Exception {
            configurations.update("cfgUpd", Map.of(EngineProperties.CONNECTION_MIN, "2"));

            assertThat(stored("cfgUpd").getProperties().get(EngineProperties.CONNECTION_MAX)).isEqualTo(4);
            assertThat(stored("cfgUpd").getProperties().get(EngineProperties.CONNECTION_MIN)).isEqualTo(2);
            Engine engine = ConfigTestSupport.engine(context, "cfgUpd").orElseThrow();
            await().atMost(STARTUP).until(() -> engine.status().settings().get(EngineProperties.CONNECTION_MIN),
                    min -> Integer.valueOf(2).equals(min));
        }

        @Test
        void a_null_value_removes_the_property_so_its_default_applies() throws Exception {
            configurations.update("cfgUpd", nullValue(EngineProperties.CONNECTION_MAX));

            assertThat(stored("cfgUpd").getProperties().get(EngineProperties.CONNECTION_MAX)).isNull();
            Engine engine = ConfigTestSupport.engine(context, "cfgUpd").orElseThrow();
            await().atMost(STARTUP).until(() -> engine.status().settings().get(EngineProperties.CONNECTION_MAX),
                    max -> Integer.valueOf(EngineProperties.DEFAULT_CONNECTION_MAX).equals(max));
        }

        @Test
        void an_invalid_merge_is_refused_and_the_stored_configuration_stays_as_it_was() throws Exception {
            assertThatThrownBy(() -> configurations.update("cfgUpd", Map.of(EngineProperties.CONNECTION_MIN, "9",
                    EngineProperties.CONNECTION_MAX, "8")))
                    .isInstanceOfSatisfying(ConfigurationException.class,
                            e -> assertThat(e.property()).isEqualTo(EngineProperties.CONNECTION_MIN));

            assertThat(stored("cfgUpd").getProperties().get(EngineProperties.CONNECTION_MAX)).isEqualTo(4);
            assertThat(stored("cfgUpd").getProperties().get(EngineProperties.CONNECTION_MIN)).isNull();
            assertThat(configurations.get("cfgUpd").orElseThrow().rejection()).isEmpty();
        }

        @Test
        void an_unknown_engine_cannot_be_updated() {
            assertThatThrownBy(() -> configurations.update("cfgNone", Map.of(EngineProperties.CONNECTION_MAX, 2)))
                    .isInstanceOf(EngineException.class)
                    .hasMessage("[cfgNone] no engine configuration named cfgNone");
        }

        private Map<String, Object> nullValue(String key) {
            Map<String, Object> changes = new HashMap<>();
            changes.put(key, null);
            return changes;
        }
    }

    @Nested
    class ListGetAndDelete {

        @Test
        void lists_every_engine_configuration_sorted_by_name_including_those_stored_by_others() throws Exception {
            configurations.create("cfgListB", engineAt("b.db"));
            configurations.create("cfgListA", engineAt("a.db"));
            Configuration foreign = admin.getFactoryConfiguration(EngineProperties.FACTORY_PID, "cfgListC", "?");
            foreign.update(new Hashtable<>(Map.of(EngineProperties.PATH, dir.resolve("c.db").toString())));

            assertThat(configurations.list()).extracting(EngineConfiguration::name)
                    .filteredOn(name -> name.startsWith("cfgList"))
                    .containsExactly("cfgListA", "cfgListB", "cfgListC");
        }

        @Test
        void get_finds_a_configuration_by_name_and_nothing_for_an_unknown_name() {
            configurations.create("cfgGet", engineAt("get.db"));

            assertThat(configurations.get("cfgGet")).get()
                    .extracting(EngineConfiguration::pid).isEqualTo("dev.sqliteengine.engine~cfgGet");
            assertThat(configurations.get("cfgUnknown")).isEmpty();
        }

        @Test
        void delete_removes_the_configuration_and_the_engine_goes_away() throws Exception {
            configurations.create("cfgDel", engineAt("del.db"));
            await().atMost(STARTUP).until(() -> ConfigTestSupport.engine(context, "cfgDel").isPresent());

            assertThat(configurations.delete("cfgDel")).isTrue();

            assertThat(stored("cfgDel")).isNull();
            await().atMost(STARTUP).until(() -> ConfigTestSupport.engine(context, "cfgDel").isEmpty());
            assertThat(configurations.delete("cfgDel")).isFalse();
        }
    }

    @Nested
    class States {

        @Test
        void a_configuration_stored_by_others_that_is_invalid_is_REJECTED_with_the_reason() throws Exception {
            Configuration foreign = admin.getFactoryConfiguration(EngineProperties.FACTORY_PID, "cfgRej", "?");
            foreign.update(new Hashtable<>(Map.of(EngineProperties.PATH, dir.resolve("rej.db").toString(),
                    "pragma.journal_mode", "SIDEWAYS")));

            EngineConfiguration state = configurations.get("cfgRej").orElseThrow();

            assertThat(state.state()).isEqualTo(State.REJECTED);
            assertThat(state.rejection()).get().asString().contains("pragma.journal_mode=SIDEWAYS is invalid");
        }

        @Test
        void a_valid_configuration_whose_database_cannot_open_is_FAILED_with_the_reason() throws Exception {
            // validation cannot tell, only opening it: the file is not a database
            Path notADatabase = Files.writeString(dir.resolve("not-a-database.db"), "plain text, not SQLite ".repeat(200));
            configurations.create("cfgFail", Map.of(EngineProperties.PATH, notADatabase.toString()));

            await().atMost(STARTUP).until(() -> configurations.get("cfgFail").orElseThrow().state(),
                    state -> state == State.FAILED);
            assertThat(configurations.get("cfgFail").orElseThrow().rejection()).get().asString()
                    .startsWith("[cfgFail] ").contains("not a database");
            assertThat(configurations.list()).filteredOn(c -> c.name().equals("cfgFail"))
                    .singleElement().extracting(EngineConfiguration::state).isEqualTo(State.FAILED);
            assertThat(ConfigTestSupport.engine(context, "cfgFail")).isEmpty();
        }

        @Test
        void a_FAILED_configuration_is_tried_again_when_it_changes() throws Exception {
            Path notADatabase = Files.writeString(dir.resolve("not-a-database.db"), "plain text, not SQLite ".repeat(200));
            configurations.create("cfgRetry", Map.of(EngineProperties.PATH, notADatabase.toString()));
            await().atMost(STARTUP).until(() -> configurations.get("cfgRetry").orElseThrow().state(),
                    state -> state == State.FAILED);

            configurations.update("cfgRetry", Map.of(EngineProperties.PATH, dir.resolve("good.db").toString()));

            await().atMost(STARTUP).until(() -> ConfigTestSupport.engine(context, "cfgRetry").isPresent());
            EngineConfiguration state = configurations.get("cfgRetry").orElseThrow();
            assertThat(state.state()).isEqualTo(State.RUNNING);
            assertThat(state.rejection()).isEmpty();
        }

        @Test
        void a_running_engine_whose_latest_update_was_rejected_is_RUNNING_with_the_reason() throws Exception {
            configurations.create("cfgRun", engineAt("run.db"));
            await().atMost(STARTUP).until(() -> ConfigTestSupport.engine(context, "cfgRun").isPresent());

            Configuration configuration = stored("cfgRun");
            Hashtable<String, Object> bad = new Hashtable<>(Map.of(EngineProperties.PATH, dir.resolve("run.db").toString(),
                    EngineProperties.CONNECTION_MAX, 0));
            configuration.update(bad);

            await().atMost(STARTUP).until(() -> configurations.get("cfgRun").orElseThrow().rejection().isPresent());
            EngineConfiguration state = configurations.get("cfgRun").orElseThrow();
            assertThat(state.state()).isEqualTo(State.RUNNING);
            assertThat(state.rejection()).get().asString().startsWith("[cfgRun] osgi.connection.max=0")
                    .contains("is invalid");
        }

        @Test
        void secret_values_never_appear_in_the_snapshot() {
            configurations.create("cfgSecret", engineAt("secret.db", ".password", "hunter2"));

            assertThat(configurations.get("cfgSecret").orElseThrow().properties())
                    .containsEntry(".password", EngineConfiguration.MASK)
                    .doesNotContainValue("hunter2");
        }
    }
}
