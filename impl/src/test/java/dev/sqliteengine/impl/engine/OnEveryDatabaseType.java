package dev.sqliteengine.impl.engine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a class of the engine contract suite: JUnit runs all of its tests once on SQLite and once
 * on PostgreSQL (shown as {@code [sqlite]} and {@code [postgresql]}), each test with a
 * {@link TestDatabase} of that type as a constructor parameter. What a test asserts holds on both
 * types; where PostgreSQL differs by design, the test names the {@link Difference} with
 * {@link Differs}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ClassTemplate
@ExtendWith(DatabaseTypeRuns.class)
@interface OnEveryDatabaseType {
}
