/**
 * The writer queues. {@code WriterQueue}, shared across pool generations: for a database with one
 * writer (SQLite) the {@code WriterGate}, FIFO or bounded-barging in front of that writer; for one
 * with several (PostgreSQL) {@code WriterSlots}, which lets {@code write.connections} writers in at
 * once. And, on a database with one writer, {@code GroupCommitQueue}: the write units'
 * first-come, first-served queue in front of the {@code WriterQueue}, which hands a running
 * group's transaction to the next unit (group commit). Locks and their invariants, nothing else:
 * they record their waits through {@code QueueWaits} and know no connection.
 */
package dev.sqliteengine.impl.writer;
