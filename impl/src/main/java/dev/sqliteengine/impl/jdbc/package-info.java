/**
 * JDBC wrappers: the connection, statements and result sets the engine hands out, which see every
 * statement before the driver does ({@code EngineConnection} and its subclasses elsewhere decide
 * what is allowed), the per-connection prepared-statement cache, the statement log and the SQL
 * scanner that tells what a statement does to a transaction. Talks to the database only through
 * the seam's {@code TransactionControl}; knows nothing of pools, units or the writer queue.
 */
package dev.sqliteengine.impl.jdbc;
