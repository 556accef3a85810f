/**
 * Read units on streaming replicas: the replicas of a pool generation and whether each serves
 * ({@code ReplicaSet}, {@code ReplicaPool}, a state machine probed in the background while a
 * replica is away), where the engine's last commit stands in the primary's write-ahead log
 * ({@code WritePosition}), which replica a read goes to and whether it must wait for it to replay
 * that commit ({@code ReadRouter}), and the health finding. Replicas are reached through the
 * seam's {@code Replication}; the pools are opened by {@code pool}, the reads run by
 * {@code transactions}. May use {@code settings}, {@code events}, {@code database} and
 * {@code figures}.
 */
package dev.sqliteengine.impl.replicas;
