package dev.sqliteengine.postgres.server.junit;

import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.PostgresPrimary;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests real PostgreSQL servers through parameters, so that test classes need not start
 * their own (a start takes seconds):
 * <ul>
 * <li>{@link PostgresDatabase}: a new database, with a login role of its own, on the primary that
 * all tests of the run share. The shared primary starts when a test first asks and stops when the
 * run ends (JUnit closes the root context's store). The database is dropped when the test ends,
 * or the test class for a constructor or {@code @BeforeAll} parameter. The shared primary itself
 * is never handed out: no test can stop, kill or reconfigure it under the others.</li>
 * <li>{@link PostgresPrimary}: a primary of the test's own, closed when the test ends (the class,
 * for a constructor or {@code @BeforeAll} parameter): for tests that stop, kill or restart it,
 * change its superuser's password or start replicas.</li>
 * </ul>
 * <pre>
 * &#64;ExtendWith(PostgresExtension.class)
 * class OrdersTest {
 *     &#64;Test
 *     void storesAnOrder(PostgresDatabase database) { ... database.dataSource() ... }
 *
 *     &#64;Test
 *     void survivesACrash(PostgresPrimary primary) { ... primary.kill(); primary.start(); ... }
 * }
 * </pre>
 * Needs JUnit 5.13 or later, which closes {@link AutoCloseable} values of an extension's store.
 */
public final class PostgresExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(PostgresExtension.class);

    /** JUnit makes extensions through this constructor. */
    public PostgresExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == PostgresDatabase.class || type == PostgresPrimary.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (parameter.getParameter().getType() == PostgresPrimary.class) {
            PostgresPrimary primary = PostgresPrimary.launch();
            store.put(primary, primary);
            return primary;
        }
        SharedPrimary shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedPrimary.class, key -> new SharedPrimary(), SharedPrimary.class);
        PostgresDatabase database = shared.newDatabase(context);
        store.put(database, database);
        return database;
    }
}
