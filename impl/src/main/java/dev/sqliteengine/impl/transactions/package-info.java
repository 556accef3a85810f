/**
 * Transactions: who owns a transaction, and how it ends. Units of work
 * ({@code EngineConnectionManager}, {@code UnitTransaction}, {@code UnitConnection}: the engine
 * owns it; {@code GroupedWrites}: on a database with one writer, write units in groups that share
 * one commit), and the connections of {@code connect()} and the {@code DataSource}
 * ({@code ClientCheckout}, {@code ClientConnection}: the caller owns it, under the same rules),
 * both queueing for the writer. {@code EngineCore} gathers the parts of one engine they share.
 * Begins and ends transactions only through the seam's {@code TransactionControl}.
 */
package dev.sqliteengine.impl.transactions;
