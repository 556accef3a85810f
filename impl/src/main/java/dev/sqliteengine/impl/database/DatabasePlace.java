package dev.sqliteengine.impl.database;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.WalFigures;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * Where one engine's database is, and how the physical connections of its pools are made: made
 * by {@link DatabaseType#open}, used by the pool generations opened on it, given back with
 * {@link #release()} once the last of them closed. A place is shared by the generations of an
 * engine that run on the same database (so an in-memory database keeps its data across a switch).
 */
public interface DatabasePlace {

    /**
     * The framework property (in OSGi) or system property (outside) that confines every engine's
     * database file, and every backup, to one folder tree.
     */
    String ALLOWED_ROOT = "dev.sqliteengine.allowedRoot";

    /** @return what status shows as the engine's path: the absolute file, or {@code :memory:} */
    String shown();

    /**
     * @return the real database file, claimed in the registry so that no two engines write one
     *         file; null when there is nothing to claim (an in-memory database)
     */
    Path claim();

    /**
     * Checks that the place still leads to the database the engine opened. One cheap check per
     * write unit (SQLite: one {@code stat} of the file).
     *
     * @return null when all is well, else what happened (the file was deleted or replaced)
     */
    String fault();

    /** @return whether a database is at the place now (after a {@link #fault()}: a file is back at the path) */
    boolean present();

    /**
     * @return this place when the next settings lead to the same database (another spelling of
     *         the same file included), else a new place, opened
     * @throws dev.sqliteengine.api.ConfigurationException when the new place cannot be used
     */
    DatabasePlace relocate(EngineSettings next, Path allowedRoot);

    /**
     * @return a new place on this one's database as it is at the place now (a replaced file),
     *         checked again; its claim is this one's
     */
    DatabasePlace reopen(EngineSettings settings, Path allowedRoot);

    /** Gives back what the place keeps alive (an in-memory database); a file stays where it is. */
    void release();

    /**
     * Prepares the database before a generation's pools open on it with these settings: what must
     * be set before anything else touches a new database (SQLite: a new file's page size).
     *
     * @throws dev.sqliteengine.api.ConnectionException when the database cannot be written
     */
    void prepare(EngineSettings settings);

    /**
     * @param role which pool the connections are for: the writer, the readers (which refuse
     *        writes), or the {@code DataSource}
     * @return the driver's data source for the physical connections of one pool, set up with the
     *         settings (SQLite: its pragmas); HikariCP pools what it opens
     */
    DataSource driver(EngineSettings settings, ConnectionRole role);

    /**
     * @return the one SQL statement every new reader connection runs after the driver set it up,
     *         so that a read unit that tries to write fails; null for none
     */
    String readerSetup();

    /**
     * Called when the engine closes, its work drained, and no newer generation uses the database
     * (SQLite: checkpoints and truncates the WAL of a file). Never throws.
     *
     * @param writer the writer pool, for a connection when there is something to do
     */
    void closing(DataSource writer);

    /**
     * @return whether a switch from the previous settings to the next needs the only connection to
     *         the database, so that the old pools must close before the new ones open (SQLite:
     *         leaving WAL mode)
     */
    boolean switchNeedsSoleAccess(EngineSettings previous, EngineSettings next);

    /**
     * @param last the engine's last checkpoint, or null
     * @return the write-ahead log's figures, read without a connection (status must never wait for
     *         work); zeros where the database keeps none here
     */
    WalFigures wal(CheckpointFigures last);

    /** @return the write-ahead log file, whose size and time show whether anything was written; null for none */
    Path walFile();
}
