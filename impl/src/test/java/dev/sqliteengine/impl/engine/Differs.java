package dev.sqliteengine.impl.engine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link Difference}s a test of the contract suite shows: it asserts SQLite's behaviour
 * on SQLite and the documented other behaviour on PostgreSQL, asking
 * {@link TestDatabase#differs} which applies. {@code ContractDifferencesAreDocumentedTest} checks
 * that docs/postgresql.md lists the test under each difference it names.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface Differs {

    Difference[] value();
}
