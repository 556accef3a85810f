/**
 * Pools: the HikariCP pools of one configuration ({@code PoolGeneration}, built by
 * {@code GenerationPools}), the generation new work enters and the handover between two
 * ({@code CurrentGeneration}, a state machine), the live switch to a new generation
 * ({@code PoolSwitch}), the threads pools share, the file claims among engines, and the connection
 * setup hooks run on every new physical connection. Physical connections come from the seam's
 * {@code DatabasePlace}; units of work and the engine's lifecycle are above it.
 */
package dev.sqliteengine.impl.pool;
