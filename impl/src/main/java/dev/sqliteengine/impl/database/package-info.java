/**
 * The seam for the database type: {@code DatabaseType} and the parts it hands out, where a
 * database is and how its physical connections are made ({@code DatabasePlace}), how transactions
 * begin and end ({@code TransactionControl}), what error codes mean ({@code ErrorCodes}),
 * backup, restore and maintenance ({@code Upkeep}), and the streaming replicas that serve reads
 * ({@code Replication}). Interfaces only: the engine core reaches a driver through nothing else. May use {@code settings} and {@code events}, never a driver.
 */
package dev.sqliteengine.impl.database;
