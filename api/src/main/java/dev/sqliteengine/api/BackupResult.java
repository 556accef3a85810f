package dev.sqliteengine.api;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A finished online backup (see {@link Engine#backup(Path)}): a file that SQLite's
 * {@code PRAGMA integrity_check} found healthy before it was moved into place.
 *
 * @param engine the engine's name
 * @param file the backup file, absolute, readable and writable by its owner only
 * @param pages the database pages copied
 * @param bytes the backup file's size
 * @param started when the copy began: every write committed before this instant is in the backup
 * @param took how long the whole backup took, integrity check and move included
 */
public record BackupResult(String engine, Path file, long pages, long bytes, Instant started, Duration took) {

    /** Checks that nothing is missing. */
    public BackupResult {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(took, "took");
    }
}
