package dev.sqliteengine.impl.database;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What a database type needs done to stay healthy, and how it is backed up and restored. The
 * engine's operations (scheduled maintenance, the management operations, backups, the health
 * checks) decide when and on which connection; what runs there is the type's, here.
 * <p>
 * Connections passed in are the engine's: the writer, held through the writer queue, for what
 * writes; a reader in a read unit for what only reads. Nothing here closes them.
 */
public interface Upkeep {

    /** The most problems {@link #check} lists; a message shows the first few. */
    int MAX_PROBLEMS = 100;

    /**
     * @return whether scheduled maintenance has anything to do for these settings (SQLite: a
     *         writable file database)
     */
    boolean maintains(EngineSettings settings);

    /**
     * @return whether the engine itself watches the database's files: runs the consistency check
     *         on them and reads the size of the write-ahead log (SQLite); false where a server owns
     *         its files (health then says so instead)
     */
    boolean watchesFiles();

    /** @return whether the database keeps a write-ahead log that checkpoints move into it */
    boolean checkpoints(EngineSettings settings);

    /** @return the checkpoint modes, upper case, in the order messages list them */
    List<String> checkpointModes();

    /**
     * Runs a checkpoint.
     *
     * @param mode one of {@link #checkpointModes()}
     * @return its outcome, stamped now
     */
    CheckpointFigures checkpoint(Connection writer, String mode) throws SQLException;

    /**
     * Lets the database refresh its query planner's statistics where they are stale.
     *
     * @param bounded whether to keep the work short on large tables (scheduled runs), or let the
     *        database decide (an operator's request)
     */
    void optimize(Connection writer, boolean bounded) throws SQLException;

    /**
     * Gives free pages back to the file system, at most {@code pages} of them.
     *
     * @return the free pages left; 0 when none are left, or when the database does not give pages back in steps
     */
    long vacuumStep(Connection writer, int pages) throws SQLException;

    /** @return what the consistency check is called in messages (SQLite: {@code PRAGMA quick_check}) */
    String checkName();

    /**
     * Runs the database's own consistency check in a read unit.
     *
     * @param running where the check's statement is kept while it runs, so that it can be cancelled
     * @return the problems found, at most {@link #MAX_PROBLEMS}; empty when there are none
     */
    List<String> check(ConnectionManager units, java.util.concurrent.atomic.AtomicReference<Statement> running);

    /** @return whether a failure with this code means the database's file is damaged */
    boolean isDamage(int code);

    /**
     * Backs the running engine's database up into a new file, from one snapshot.
     *
     * @throws dev.sqliteengine.api.EngineException naming the target and what went wrong
     */
    BackupResult backup(String engine, ConnectionManager units, Path target, Path allowedRoot);

    /**
     * Checks a backup before a restore pauses anyone.
     *
     * @param current the engine's place now: a backup must not be its own database
     * @return the backup's real file
     * @throws dev.sqliteengine.api.EngineException naming the file and what is wrong with it
     */
    Path restorable(String engine, Path source, DatabasePlace current, Path allowedRoot);

    /**
     * Copies a backup into the database, through the writer of a generation that serves no one
     * yet; a copy that fails leaves the database as it was.
     *
     * @return the pages copied
     */
    long restore(String engine, Connection writer, Path source);
}
