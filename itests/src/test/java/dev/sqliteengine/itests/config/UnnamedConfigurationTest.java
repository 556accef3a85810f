package dev.sqliteengine.itests.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqliteengine.api.EngineConfiguration;
import dev.sqliteengine.api.EngineConfiguration.State;
import dev.sqliteengine.api.EngineConfigurations;
import dev.sqliteengine.api.EngineProperties;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * A factory configuration made with {@code createFactoryConfiguration} (as the Web Console
 * makes them) has a PID without {@code ~name}; without a {@code name} property its engine is
 * named after the PID, as Metatype's description of the optional {@code name} says.
 */
class UnnamedConfigurationTest {

    @InjectService(timeout = 10_000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10_000)
    EngineConfigurations configurations;

    @InjectService(timeout = 10_000)
    MetaTypeService metatype;

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path dir;

    @Test
    void an_engine_without_a_name_is_named_after_its_pid_without_the_factory_pid() throws Exception {
        Configuration unnamed = admin.createFactoryConfiguration(EngineProperties.FACTORY_PID, "?");
        String name = unnamed.getPid().substring(EngineProperties.FACTORY_PID.length() + 1);
        try {
            unnamed.update(new Hashtable<>(Map.of(EngineProperties.PATH, dir.resolve("unnamed.db").toString())));

            await().atMost(EngineConfigurationsTest.STARTUP).until(() -> ConfigTestSupport.engine(context, name).isPresent());
            assertThat(configurations.get(name)).get().extracting(EngineConfiguration::state).isEqualTo(State.RUNNING);
            assertThat(configurations.list()).extracting(EngineConfiguration::pid).contains(unnamed.getPid());
        } finally {
            unnamed.delete();
            await().atMost(EngineConfigurationsTest.STARTUP).until(() -> ConfigTestSupport.engine(context, name).isEmpty());
        }
    }

    @Test
    void metatype_presents_the_name_as_optional_and_says_what_it_defaults_to() {
        Bundle impl = Arrays.stream(context.getBundles())
                .filter(b -> "dev.sqliteengine.impl".equals(b.getSymbolicName())).findFirst().orElseThrow();
        ObjectClassDefinition ocd = metatype.getMetaTypeInformation(impl)
                .getObjectClassDefinition(EngineProperties.FACTORY_PID, null);

        assertThat(ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED))
                .extracting(AttributeDefinition::getID).doesNotContain(EngineProperties.NAME);
        AttributeDefinition name = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.OPTIONAL))
                .filter(a -> a.getID().equals(EngineProperties.NAME)).findFirst().orElseThrow();
        assertThat(name.getDescription()).contains("Without it, the engine is named after the PID");
    }
}
