package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.osgi.EngineComponent;
import dev.sqliteengine.impl.osgi.EngineHost;
import dev.sqliteengine.impl.osgi.ListenerWhiteboard;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The value of a property that can hold a secret ({@link EngineProperties#isSecret}) never
 * appears in a rejection: not in the exception's message or {@code value()}, not in
 * {@code EngineFactory.validate}'s error (which the configuration service shows as
 * {@code EngineConfiguration.rejection()} and {@code engine:list}), not in
 * {@code EngineStatus.lastRejection()}, and not in the line the component logs.
 */
class SecretValuesAreNeverEchoedTest {

    private static final String PID = EngineProperties.FACTORY_PID + "~vault";

    @TempDir
    Path dir;

    /** Keys the engine owns (so it refuses them) and keys it ignores, beside a bad value. */
    private static final String KEYS = "pragma.key, pragma.rekey, pragma.hexkey, pool.password, write.token,"
            + " osgi.connection.secret, password, token, some.secret, .private";

    private static String secretFor(String key) {
        return "S3cr3t-" + key.replace('.', '_');
    }

    /** The secret, plus a bad max when the engine would otherwise ignore the key. */
    private Map<String, Object> withSecret(String key) {
        Map<String, Object> properties = new HashMap<>(Map.of("path", dir.resolve("vault.db").toString()));
        properties.put(key, secretFor(key));
        if (!key.startsWith("pragma.") && !key.startsWith("pool.") && !key.startsWith("write.") && !key.startsWith("osgi.")) {
            properties.put("osgi.connection.max", 0);
        }
        return properties;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pragma.key", "pragma.rekey", "pragma.hexkey", "pool.password", "write.token",
            "osgi.connection.secret", "password", "token", "some.secret", ".private"})
    void isNotInTheExceptionNorInWhatValidateReports(String key) {
        assertThat(KEYS).contains(key);
        ConfigurationException parsed = catchThrowableOfType(
                () -> EngineSettings.parse(withSecret(key), "vault", null), ConfigurationException.class);
        ConfigurationException validated = catchThrowableOfType(
                () -> new SqliteEngineFactory().validate(with(withSecret(key), "name", "vault")), ConfigurationException.class);

        for (ConfigurationException e : List.of(parsed, validated)) {
            assertThat(e.getMessage()).doesNotContain(secretFor(key)).startsWith("[vault] ");
            assertThat(String.valueOf(e.value())).doesNotContain(secretFor(key));
        }
        if (EngineProperties.isSecret(key) && parsed.property().equals(key)) {
            assertThat(parsed.value()).isEqualTo("********");
        }
    }

    @Test
    void everySecretLookingKeyHereIsSecretAndNoPropertyOfTheEngineIs() {
        assertThat(KEYS.split(", ")).allMatch(EngineProperties::isSecret);
        assertThat(EngineSettings.parse(Map.of("path", ":memory:"), "vault", null).asProperties().keySet())
                .noneMatch(EngineProperties::isSecret);
    }

    @Test
    void encryptionPragmasAreRefusedAsUnsupportedWithoutTheirValue() {
        for (String key : List.of("pragma.key", "pragma.rekey", "pragma.hexkey", "pragma.hexrekey")) {
            ConfigurationException e = catchThrowableOfType(
                    () -> EngineSettings.parse(withSecret(key), "vault", null), ConfigurationException.class);

            assertThat(e.property()).isEqualTo(key);
            assertThat(e.getMessage()).startsWith("[vault] " + key + "=******** is invalid: ")
                    .contains("encryption is not supported").doesNotContain(secretFor(key));
        }
    }

    @Test
    void isNotInLastRejectionNorInTheLoggedLine() throws Exception {
        AtomicReference<Engine> registered = new AtomicReference<>();
        BundleContext context = context(registered);
        Map<String, Object> good = with(new HashMap<>(Map.of("path", dir.resolve("vault.db").toString())),
                "service.pid", PID);
        EngineComponent component = new EngineComponent(context, new EngineHost(context), new ListenerWhiteboard(), new dev.sqliteengine.impl.osgi.ConnectionSetupWhiteboard(), good);
        try {
            for (String key : KEYS.split(", ")) {
                String log = loggedDuring(() -> modified(component, with(withSecret(key), "service.pid", PID)));

                assertThat(log).as("the logged line").contains("Configuration " + PID + " rejected")
                        .doesNotContain(secretFor(key));
                assertThat(registered.get().status().lastRejection()).as("lastRejection")
                        .hasValueSatisfying(m -> assertThat(m).doesNotContain(secretFor(key)));
            }
            String log = loggedDuring(() -> new EngineComponent(context, new EngineHost(context), new ListenerWhiteboard(), new dev.sqliteengine.impl.osgi.ConnectionSetupWhiteboard(),
                    with(withSecret("pragma.key"), "service.pid", EngineProperties.FACTORY_PID + "~other")));
            assertThat(log).contains("rejected; no engine registered").doesNotContain(secretFor("pragma.key"));
        } finally {
            invoke(component, "deactivate");
        }
    }

    private static Map<String, Object> with(Map<String, Object> properties, String key, Object value) {
        properties.put(key, value);
        return properties;
    }

    /** What SCR does on a configuration update. */
    private static void modified(EngineComponent component, Map<String, Object> properties) {
        invoke(component, "modified", properties);
    }

    private static void invoke(EngineComponent component, String method, Object... args) {
        try {
            for (Method m : EngineComponent.class.getDeclaredMethods()) {
                if (m.getName().equals(method)) {
                    m.setAccessible(true);
                    m.invoke(component, args);
                    return;
                }
            }
            throw new AssertionError("no method " + method);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** slf4j-simple writes to whatever {@code System.err} is when it logs. */
    private static String loggedDuring(Runnable action) {
        return CapturedLog.during(action::run);
    }

    /** Enough of a bundle context for the component: no framework properties, services recorded. */
    private static BundleContext context(AtomicReference<Engine> registered) {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                SecretValuesAreNeverEchoedTest.class.getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                (proxy, method, args) -> null);
        return (BundleContext) Proxy.newProxyInstance(SecretValuesAreNeverEchoedTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        if (args[1] instanceof Engine engine) {
                            registered.set(engine);
                        }
                        return registration;
                    }
                    return null; // getProperty, getDataFile: none
                });
    }
}
