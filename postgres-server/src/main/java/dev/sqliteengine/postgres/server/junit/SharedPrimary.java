package dev.sqliteengine.postgres.server.junit;

import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The primary all tests of a run share, in the root context's store: JUnit closes it when the run
 * ends. It hands out databases, never itself.
 */
final class SharedPrimary implements AutoCloseable {

    private static final int MAX_NAME = 63;

    private final PostgresPrimary primary = PostgresPrimary.launch();
    /** Numbers the databases: names stay unique however the tests are named. */
    private final AtomicInteger databases = new AtomicInteger();

    /** @return a new database named after the test that asked, such as {@code t3_storesanorder} */
    PostgresDatabase newDatabase(ExtensionContext context) {
        String test = context.getTestMethod().map(Method::getName)
                .orElseGet(() -> context.getTestClass().map(Class::getSimpleName).orElse("test"));
        String name = "t" + databases.incrementAndGet() + "_" + test.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return primary.createDatabase(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
    }

    @Override
    public void close() {
        primary.close();
    }
}
