package dev.sqliteengine.api;

import java.util.Optional;

/**
 * The engine's write-ahead log at one moment, read from the {@code -wal} file next to the
 * database. SQLite reuses the file from its start after a checkpoint and only shrinks it on a
 * {@code TRUNCATE} checkpoint (or {@code journal_size_limit}), so the size is the WAL's high-water
 * mark since then, not the part still to be checkpointed.
 *
 * @param sizeBytes the {@code -wal} file's size; 0 when there is none (an engine not in WAL mode,
 *        in memory, or right after a {@code TRUNCATE} checkpoint)
 * @param pages the pages (frames) the file holds room for: {@code (sizeBytes - 32) / (pageSize + 24)}
 * @param lastCheckpoint the last checkpoint the engine ran itself (its JMX {@code checkpoint}
 *        operation), if any since it started; SQLite's automatic checkpoints are not seen
 */
public record WalFigures(long sizeBytes, long pages, Optional<CheckpointFigures> lastCheckpoint) {}
