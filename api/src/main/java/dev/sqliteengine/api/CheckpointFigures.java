package dev.sqliteengine.api;

import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of a WAL checkpoint that the engine ran ({@code PRAGMA wal_checkpoint(mode)}).
 *
 * @param time when it ended
 * @param mode {@code PASSIVE}, {@code FULL}, {@code RESTART} or {@code TRUNCATE}
 * @param completed whether every frame of the WAL was copied into the database (SQLite's busy
 *        column was 0 and the statement did not fail)
 * @param walPages the pages (frames) in the WAL when it ran, as SQLite reported; -1 when it failed
 * @param checkpointedPages the pages copied into the database, as SQLite reported; -1 when it failed
 * @param failure why it failed, with SQLite's result code, when it failed
 */
public record CheckpointFigures(Instant time, String mode, boolean completed, long walPages, long checkpointedPages,
        Optional<String> failure) {}
