/**
 * Real PostgreSQL servers for tests: {@link dev.sqliteengine.postgres.server.PostgresPrimary}
 * runs {@code initdb} into a fresh folder and starts {@code postgres} on a free loopback port;
 * {@link dev.sqliteengine.postgres.server.PostgresPrimary#startReplica()} adds a streaming
 * replica. Servers can be stopped, started, killed like a crash and are always removed: by
 * {@code close()}, by a shutdown hook, and, should the JVM be killed, by a watchdog process that
 * stops the server when the JVM's end of a pipe closes.
 * <p>
 * PostgreSQL refuses to run as root; when the JVM runs as root the programs run as an
 * unprivileged account ({@code postgres} unless
 * {@link dev.sqliteengine.postgres.server.ServerProperties#ACCOUNT} names another) through
 * {@code runuser}. {@link dev.sqliteengine.postgres.server.ServerProperties} lists every setting.
 */
@Export
@Version("1.0.0")
package dev.sqliteengine.postgres.server;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
