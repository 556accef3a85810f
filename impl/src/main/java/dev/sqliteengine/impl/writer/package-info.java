/**
 * The writer queue: {@code WriterGate}, the FIFO (or bounded-barging) queue in front of the
 * engine's writer, shared across pool generations. A lock and its invariants, nothing else: it
 * records its waits through {@code QueueWaits} and knows no connection.
 */
package dev.sqliteengine.impl.writer;
