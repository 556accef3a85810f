/**
 * Operations: what keeps an engine healthy and safe, on top of its units and its writer queue:
 * scheduled maintenance in writer slices, the health monitor and its threads, backups on demand
 * and on a schedule, restores, and the management operations of the MXBean. When and where they
 * run is decided here; what runs (SQLite: checkpoints, {@code PRAGMA optimize},
 * {@code quick_check}, the backup API) is the seam's {@code Upkeep}.
 */
package dev.sqliteengine.impl.operations;
