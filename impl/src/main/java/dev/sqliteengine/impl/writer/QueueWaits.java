package dev.sqliteengine.impl.writer;

/**
 * Where the {@link WriterGate} records each writer's wait in the queue: the engine's figures
 * ({@code EngineMetrics.queued}). Called on the hot path of every write, once per wait.
 */
@FunctionalInterface
public interface QueueWaits {

    /** Records nothing: a gate whose waits nobody watches. */
    QueueWaits NONE = (startNanos, entered) -> { };

    /**
     * @param startNanos when the writer started to wait ({@link System#nanoTime()})
     * @param entered whether it got in, or gave up
     */
    void queued(long startNanos, boolean entered);
}
