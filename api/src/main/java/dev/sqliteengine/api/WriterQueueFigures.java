package dev.sqliteengine.api;

/**
 * The queue in front of the engine's single writer connection, which write units and the write
 * transactions of {@link Engine#connect()} and the {@link Engine#dataSource()} share.
 *
 * @param waiting threads waiting in the queue now (an estimate, read without a lock)
 * @param waitTime how long writers waited for their turn, the ones that gave up included
 * @param timeouts writers that gave up waiting ({@code osgi.connection.timeout} or
 *        {@code write.deadline} passed) since the engine started
 */
public record WriterQueueFigures(int waiting, LatencyFigures waitTime, long timeouts) {}
