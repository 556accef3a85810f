/**
 * The sqlite-engine implementation, in packages by concern. A package uses only the packages
 * above it in this list, never one below; {@code PackageLayersTest} reads this list and fails
 * the build on a dependency that runs back up (an import, or a name written out in code):
 * <ol>
 * <li>{@code settings}: configurations turned into checked, typed settings</li>
 * <li>{@code events}: listeners, event delivery, the {@code [name]} prefix of messages</li>
 * <li>{@code database}: the seam for the database type ({@code DatabaseType})</li>
 * <li>{@code figures}: counters and latencies</li>
 * <li>{@code sqlite}: SQLite behind the seam, the only package that speaks to sqlite-jdbc</li>
 * <li>{@code postgresql}: PostgreSQL behind the seam, the only package that speaks to pgjdbc</li>
 * <li>{@code jdbc}: the JDBC wrappers, the statement cache, the statement log, the SQL scanner</li>
 * <li>{@code writer}: the writer queue</li>
 * <li>{@code replicas}: streaming replicas that serve reads, read-your-writes</li>
 * <li>{@code pool}: pool generations, the handover and the live switch, file claims, setup hooks</li>
 * <li>{@code transactions}: units of work and the {@code DataSource}/{@code connect()} connections</li>
 * <li>{@code operations}: maintenance, health, backups and restores, management operations</li>
 * <li>{@code engine}: the engine's lifecycle, the registry, the factory</li>
 * <li>{@code jmx}: the MXBean</li>
 * <li>{@code standalone}: engines outside OSGi, the {@code EngineFactory} that {@code ServiceLoader} finds</li>
 * <li>{@code osgi}: the Declarative Services components</li>
 * </ol>
 * One more rule: the engine core talks to a database only through {@code database}; so the
 * packages between {@code postgresql} and {@code engine} never name {@code sqlite} or
 * {@code postgresql}, the two types never name each other, only {@code sqlite} (and {@code osgi},
 * for the driver's native library) imports sqlite-jdbc, and only {@code postgresql} imports pgjdbc.
 * <p>
 * The bundle exports none of these packages, and the module only {@code jmx}, for the platform
 * MBean server (see {@code module-info}): members that other packages need are public, and bnd
 * keeps every package private.
 */
package dev.sqliteengine.impl;
