package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.EngineException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies a backup file into a generation's database through its writer connection, with SQLite's
 * backup API in the restore direction (source: the file, opened read-only by the driver).
 * <p>
 * SQLite writes the destination in one write transaction that commits only when the last page is
 * copied: a copy that fails leaves the database as it was. Runs while the engine is paused
 * ({@link PoolSwitch#restore}), so nothing else writes and no read sees a half-copied file.
 */
final class RestoreCopy {

    private RestoreCopy() {}

    /** @return the pages copied */
    static long into(String engine, PoolGeneration generation, Path source) {
        AtomicLong pages = new AtomicLong();
        try (Connection writer = generation.writerConnection()) {
            int rc = OnlineBackup.driver(writer).getDatabase().restore("main", source.toString(),
                    (remaining, total) -> pages.set(total), 100, 3, OnlineBackup.PAGES_PER_STEP);
            if (rc != 0 && rc != SqlErrors.SQLITE_DONE) {
                throw new EngineException(engine, "copying " + source + " into the database failed with SQLite result code "
                        + rc + "; the database keeps its previous content", rc, null);
            }
        } catch (SQLException e) {
            throw new EngineException(engine, "copying " + source + " into the database failed: " + e.getMessage()
                    + "; the database keeps its previous content", SqlErrors.resultCode(e), e);
        }
        return pages.get();
    }
}
