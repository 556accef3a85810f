package dev.sqliteengine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.api.EngineConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void passwords_keys_secrets_and_private_properties_are_masked() {
        Map<String, Object> masked = Secrets.masked(Map.of(
                ".token", "t", "db.password", "p", "pragma.key", "k", "client.secret", "s",
                "path", "/data/main.db", "pool.keepaliveTime", 30000L, "pragma.foreign_keys", "ON",
                "api_token", "t2", "pragma.rekey", "r", "pragma.hexkey", "h"));

        assertThat(masked).containsEntry(".token", EngineConfiguration.MASK)
                .containsEntry("db.password", EngineConfiguration.MASK)
                .containsEntry("pragma.key", EngineConfiguration.MASK)
                .containsEntry("client.secret", EngineConfiguration.MASK)
                .containsEntry("path", "/data/main.db")
                .containsEntry("pool.keepaliveTime", 30000L)
                .containsEntry("pragma.foreign_keys", "ON")
                .containsEntry("api_token", EngineConfiguration.MASK)
                .containsEntry("pragma.rekey", EngineConfiguration.MASK)
                .containsEntry("pragma.hexkey", EngineConfiguration.MASK);
    }
}
