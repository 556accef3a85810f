/**
 * A JUnit 5 extension that gives test methods PostgreSQL servers and databases without each
 * test class starting its own server: see
 * {@link dev.sqliteengine.postgres.server.junit.PostgresExtension}.
 */
@Export
@Version("1.0.0")
package dev.sqliteengine.postgres.server.junit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
