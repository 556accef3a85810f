package dev.sqliteengine.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A finished restore (see {@link Engine#restore(Path)}): the engine serves the backup's data.
 *
 * @param engine the engine's name
 * @param source the backup file the data came from, absolute; it is left as it was
 * @param pages the database pages copied into the live database
 * @param paused how long new work was held back: from the pause to the first unit that could
 *        run on the restored database
 */
public record RestoreResult(String engine, Path source, long pages, Duration paused) {

    /** Checks that nothing is missing. */
    public RestoreResult {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(paused, "paused");
    }
}
