package dev.sqliteengine.itests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineProperties;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/** What a configuration tool (the Web Console, Karaf's config commands) learns about engines. */
class MetatypeTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    MetaTypeService metatype;

    MetaTypeInformation information;

    @BeforeEach
    void implementationMetatype() {
        Bundle impl = Arrays.stream(context.getBundles())
                .filter(b -> "dev.sqliteengine.impl".equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no dev.sqliteengine.impl bundle"));
        information = metatype.getMetaTypeInformation(impl);
    }

    @Test
    void describes_the_engine_factory_pid() {
        assertThat(information.getFactoryPids()).contains(EngineProperties.FACTORY_PID);
    }

    @Test
    void names_and_describes_the_main_attributes_with_the_api_defaults() {
        ObjectClassDefinition ocd = information.getObjectClassDefinition(EngineProperties.FACTORY_PID, null);
        Map<String, AttributeDefinition> attributes = attributes();

        assertThat(ocd.getName()).isNotBlank();
        assertThat(attributes).containsKeys(EngineProperties.PATH, EngineProperties.CONNECTION_MAX,
                "pragma.journal_mode", "pragma.synchronous", "pragma.cache_size");
        for (String id : new String[] {EngineProperties.PATH, EngineProperties.CONNECTION_MAX, "pragma.journal_mode"}) {
            assertThat(attributes.get(id).getName()).as("name of %s", id).isNotBlank();
            assertThat(attributes.get(id).getDescription()).as("description of %s", id).isNotBlank();
        }
        for (String id : new String[] {EngineProperties.LOG_STATEMENTS, EngineProperties.LOG_SLOW_THRESHOLD,
                EngineProperties.LOG_PARAMETERS}) {
            assertThat(attributes.get(id).getName()).as("name of %s", id).isNotBlank();
            assertThat(attributes.get(id).getDescription()).as("description of %s", id).isNotBlank();
        }
        assertThat(attributes.get(EngineProperties.LOG_STATEMENTS).getDefaultValue())
                .containsExactly(EngineProperties.DEFAULT_LOG_STATEMENTS);
        assertThat(attributes.get(EngineProperties.LOG_STATEMENTS).getOptionValues()).containsExactly("off", "slow", "all");
        assertThat(attributes.get(EngineProperties.LOG_SLOW_THRESHOLD).getDefaultValue())
                .containsExactly(String.valueOf(EngineProperties.DEFAULT_LOG_SLOW_THRESHOLD));
        assertThat(attributes.get(EngineProperties.CONNECTION_MAX).getType()).isEqualTo(AttributeDefinition.INTEGER);
        assertThat(attributes.get(EngineProperties.CONNECTION_MAX).getDefaultValue())
                .containsExactly(String.valueOf(EngineProperties.DEFAULT_CONNECTION_MAX));
        AttributeDefinition cache = attributes.get(EngineProperties.STATEMENT_CACHE_SIZE);
        assertThat(cache.getType()).isEqualTo(AttributeDefinition.INTEGER);
        assertThat(cache.getDefaultValue()).containsExactly(String.valueOf(EngineProperties.DEFAULT_STATEMENT_CACHE_SIZE));
        assertThat(cache.getName()).isNotBlank();
        assertThat(cache.getDescription()).contains("0 turns the cache off");
        assertThat(attributes.get("pragma.journal_mode").getDefaultValue()).containsExactly("WAL");
        assertThat(attributes.get("pragma.journal_mode").getOptionValues()).contains("WAL", "DELETE");
    }

    @Test
    void describes_the_type_and_says_which_attributes_belong_to_one_type() {
        Map<String, AttributeDefinition> attributes = attributes();

        AttributeDefinition type = attributes.get(EngineProperties.TYPE);
        assertThat(type.getOptionValues()).containsExactly("sqlite", "postgresql");
        assertThat(type.getDefaultValue()).containsExactly(EngineProperties.DEFAULT_TYPE);
        for (String id : new String[] {EngineProperties.URL, EngineProperties.HOST, EngineProperties.PORT,
                EngineProperties.DATABASE, EngineProperties.USER, EngineProperties.PASSWORD, EngineProperties.ISOLATION,
                EngineProperties.LOCK_TIMEOUT, EngineProperties.WRITE_CONNECTIONS}) {
            assertThat(attributes.get(id).getName()).as("name of %s", id).isNotBlank();
            assertThat(attributes.get(id).getDescription()).as("description of %s", id).startsWith("PostgreSQL only");
        }
        assertThat(attributes.get(EngineProperties.PASSWORD).getType()).isEqualTo(AttributeDefinition.PASSWORD);
        assertThat(attributes.get(EngineProperties.PASSWORD).getDefaultValue()).isNull();
        assertThat(attributes.get(EngineProperties.PASSWORD).getDescription()).contains("$[secret:NAME]", "$[env:VARIABLE]");
        assertThat(attributes.get(EngineProperties.PORT).getType()).isEqualTo(AttributeDefinition.INTEGER);
        assertThat(attributes.get(EngineProperties.PORT).getDescription()).contains(String.valueOf(EngineProperties.DEFAULT_PORT));
        assertThat(attributes.get(EngineProperties.LOCK_TIMEOUT).getType()).isEqualTo(AttributeDefinition.LONG);
        assertThat(attributes.get(EngineProperties.LOCK_TIMEOUT).getDefaultValue())
                .containsExactly(String.valueOf(EngineProperties.DEFAULT_LOCK_TIMEOUT));
        assertThat(attributes.get(EngineProperties.ISOLATION).getOptionValues())
                .containsExactly("READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE");
        assertThat(attributes.get(EngineProperties.ISOLATION).getDefaultValue())
                .containsExactly(EngineProperties.DEFAULT_ISOLATION);
        assertThat(attributes.get(EngineProperties.WRITE_CONNECTIONS).getDefaultValue())
                .containsExactly(String.valueOf(EngineProperties.DEFAULT_WRITE_CONNECTIONS));
        for (String id : new String[] {EngineProperties.PATH, "pragma.journal_mode",
                EngineProperties.MAINTENANCE_CHECKPOINT_INTERVAL, EngineProperties.BACKUP_INTERVAL,
                EngineProperties.HEALTH_WAL_WARN_SIZE}) {
            assertThat(attributes.get(id).getDescription()).as("description of %s", id).startsWith("SQLite only");
        }
    }

    @Test
    void describes_the_replicas_as_a_postgresql_only_list_with_the_api_defaults() {
        Map<String, AttributeDefinition> attributes = attributes();

        AttributeDefinition replicas = attributes.get(EngineProperties.REPLICAS);
        assertThat(replicas.getCardinality()).isEqualTo(16);
        assertThat(replicas.getDefaultValue()).isNull();
        assertThat(attributes.get(EngineProperties.REPLICAS_READ_YOUR_WRITES).getOptionValues())
                .containsExactly("primary", "wait", "off");
        assertThat(attributes.get(EngineProperties.REPLICAS_READ_YOUR_WRITES).getDefaultValue())
                .containsExactly(EngineProperties.DEFAULT_REPLICAS_READ_YOUR_WRITES);
        assertThat(attributes.get(EngineProperties.REPLICAS_READ_YOUR_WRITES_TIMEOUT).getDefaultValue())
                .containsExactly(String.valueOf(EngineProperties.DEFAULT_REPLICAS_READ_YOUR_WRITES_TIMEOUT));
        for (String id : new String[] {EngineProperties.REPLICAS, EngineProperties.REPLICAS_READ_YOUR_WRITES,
                EngineProperties.REPLICAS_READ_YOUR_WRITES_TIMEOUT}) {
            assertThat(attributes.get(id).getName()).as("name of %s", id).isNotBlank();
            assertThat(attributes.get(id).getDescription()).as("description of %s", id).startsWith("PostgreSQL only");
        }
    }

    private Map<String, AttributeDefinition> attributes() {
        return Arrays.stream(information.getObjectClassDefinition(EngineProperties.FACTORY_PID, null)
                        .getAttributeDefinitions(ObjectClassDefinition.ALL))
                .collect(Collectors.toMap(AttributeDefinition::getID, Function.identity()));
    }
}
