package dev.sqliteengine.impl.engine;

import dev.sqliteengine.postgres.server.PostgresDatabase;
import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.lang.reflect.Parameter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstantiationAwareExtension;
import org.opentest4j.TestAbortedException;

/**
 * Runs a class marked {@link OnEveryDatabaseType} once per {@link DatabaseKind}, and gives each
 * test of a run a {@link TestDatabase} of that kind, closed when the test ends.
 * <p>
 * On PostgreSQL, each run of a class gets one database on the primary that the whole test JVM
 * shares ({@link PostgresExtension}), dropped when the run ends; each test gets a schema of its
 * own in it, since creating a database costs more than a test.
 */
final class DatabaseTypeRuns implements ClassTemplateInvocationContextProvider {

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(DatabaseKind.values()).map(Run::new);
    }

    /** One run of a class on one kind of database. */
    private static final class Run implements ClassTemplateInvocationContext {

        private final DatabaseKind kind;
        private final Databases databases;

        Run(DatabaseKind kind) {
            this.kind = kind;
            this.databases = new Databases(kind);
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return kind.type();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(databases, new SayWhichKind(kind));
        }

        @Override
        public void prepareInvocation(ExtensionContext context) {
            databases.run = context;
        }
    }

    /** Resolves a {@link TestDatabase} for each test of a run; constructors get the test's own. */
    private static final class Databases implements ParameterResolver, TestInstantiationAwareExtension {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DatabaseTypeRuns.class);

        private final DatabaseKind kind;
        /** The context of the class's run on this kind: what lives as long as the run is kept in its store. */
        private ExtensionContext run;

        Databases(DatabaseKind kind) {
            this.kind = kind;
        }

        @Override
        public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
            return ExtensionContextScope.TEST_METHOD;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestDatabase.class;
        }

        @Override
        public TestDatabase resolveParameter(ParameterContext parameter, ExtensionContext context) {
            ExtensionContext.Store store = context.getStore(NAMESPACE);
            return store.getOrComputeIfAbsent(TestDatabase.class, key -> switch (kind) {
                case SQLITE -> TestDatabase.sqlite(context);
                case POSTGRESQL -> {
                    RunDatabase database = runDatabase();
                    yield TestDatabase.postgresql(context, database.server, database.newSchema());
                }
            }, TestDatabase.class);
        }

        /** @return this run's database on the shared primary, made at the first test that needs it */
        private RunDatabase runDatabase() {
            return run.getStore(NAMESPACE).getOrComputeIfAbsent(RunDatabase.class, key -> new RunDatabase(
                    (PostgresDatabase) new PostgresExtension().resolveParameter(AskedForADatabase.PARAMETER, run)),
                    RunDatabase.class);
        }
    }

    /**
     * One run's database on the shared primary (dropped by {@link PostgresExtension} when the run
     * ends), and a session of its owner that makes the tests' schemas: one login per run, not
     * per test.
     */
    private static final class RunDatabase implements AutoCloseable {

        final PostgresDatabase server;
        private final Connection owner;
        private int schemas;

        RunDatabase(PostgresDatabase server) {
            this.server = server;
            try {
                owner = server.dataSource().getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot log in to " + server, e);
            }
        }

        /** @return the name of a new, empty schema */
        synchronized String newSchema() {
            String schema = "test" + ++schemas;
            try (Statement s = owner.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create schema " + schema + " in " + server, e);
            }
            return schema;
        }

        @Override
        public void close() throws SQLException {
            owner.close();
        }
    }

    /**
     * Build reports name a run by its number ({@code [2]}), so a failure says which kind of
     * database it happened on.
     */
    private record SayWhichKind(DatabaseKind kind) implements TestExecutionExceptionHandler,
            LifecycleMethodExecutionExceptionHandler {

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            throw onKind(failure);
        }

        @Override
        public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            throw onKind(failure);
        }

        @Override
        public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            throw onKind(failure);
        }

        private Throwable onKind(Throwable failure) {
            if (failure instanceof TestAbortedException) {
                return failure;
            }
            AssertionError said = new AssertionError("on " + kind.type() + ": " + failure.getMessage(), failure);
            said.setStackTrace(failure.getStackTrace());
            return said;
        }
    }

    /**
     * {@link PostgresExtension} hands out databases on its shared primary only as parameters: this
     * asks it as JUnit would for a parameter of type {@link PostgresDatabase}, so that the
     * database is dropped with the context it is asked for.
     */
    private enum AskedForADatabase implements ParameterContext {
        PARAMETER;

        @SuppressWarnings("unused") // its parameter is the one asked for
        private static void database(PostgresDatabase database) {
            // never called
        }

        @Override
        public Parameter getParameter() {
            try {
                return AskedForADatabase.class.getDeclaredMethod("database", PostgresDatabase.class).getParameters()[0];
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int getIndex() {
            return 0;
        }

        @Override
        public Optional<Object> getTarget() {
            return Optional.empty();
        }
    }
}
