/**
 * The writer queue ({@code WriterQueue}), shared across pool generations: for a database with one
 * writer (SQLite) the {@code WriterGate}, FIFO or bounded-barging in front of that writer; for one
 * with several (PostgreSQL) {@code WriterSlots}, which lets {@code write.connections} writers in at
 * once. Locks and their invariants, nothing else: it records its waits through
 * {@code QueueWaits} and knows no connection.
 */
package dev.sqliteengine.impl.writer;
