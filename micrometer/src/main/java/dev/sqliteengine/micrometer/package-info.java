/**
 * Micrometer meters for sqlite-engine's engines: {@link dev.sqliteengine.micrometer.EngineMeters}
 * binds one engine's counters, gauges and latencies to any {@code MeterRegistry}, tagged
 * {@code engine=<name>}; its Javadoc lists every meter.
 */
@Export
@Version("1.0.0")
package dev.sqliteengine.micrometer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
