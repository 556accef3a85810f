/**
 * Figures: an engine's counters and latency windows since it started, recorded wait-free on the
 * hot path ({@code EngineMetrics}, {@code SlidingLatency}), and HikariCP's view of the unit pools.
 * Reads error codes only through the seam's {@code ErrorCodes}; holds no connection.
 */
package dev.sqliteengine.impl.figures;
