package dev.sqliteengine.impl.database;

import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;

/**
 * One type of database an engine can run on, and the one seam between the engine core and that
 * database's JDBC driver: the core (units of work, the writer queue, pool generations and their
 * switches, the JDBC wrappers, listeners, figures) knows databases only through this interface
 * and the parts it hands out. SQLite ({@code dev.sqliteengine.impl.sqlite.SqliteType}) and
 * PostgreSQL ({@code dev.sqliteengine.impl.postgresql.PostgresqlType}) implement it.
 * <ul>
 * <li>{@link #open}: where the database is and how its physical connections are made and set
 * up ({@link DatabasePlace}), including the file an engine claims and what a read-only connection
 * is;</li>
 * <li>{@link #transactions()}: how a read or a write transaction begins and ends, and whether
 * one is open on a connection ({@link TransactionControl});</li>
 * <li>{@link #errors()}: what an error code means ({@link ErrorCodes});</li>
 * <li>{@link #upkeep()}: backup, restore and the maintenance the database needs ({@link Upkeep});</li>
 * <li>{@link #replication()}: the streaming replicas that serve reads, if the type has any
 * ({@link Replication}).</li>
 * </ul>
 * An implementation holds no state of its own: one instance serves every engine of its type.
 */
public interface DatabaseType {

    /** @return the type's name, as configuration spells it (e.g. {@code sqlite}) */
    String name();

    /**
     * Resolves and checks where the settings put the database, without creating anything: what
     * {@code EngineFactory.validate} can know before an engine opens.
     *
     * @param allowedRoot the folder databases must lie below, or null
     * @return what an engine on these settings would claim against the others (its real database
     *         file), or null when it claims nothing
     * @throws dev.sqliteengine.api.ConfigurationException naming the property that cannot work
     */
    Path claimFor(EngineSettings settings, Path allowedRoot);

    /**
     * Opens the place of an engine's database: resolves it, creates what must exist (a folder, an
     * empty file), keeps alive what must live as long as the engine (an in-memory database).
     *
     * @param allowedRoot the folder databases must lie below, or null
     * @throws dev.sqliteengine.api.ConfigurationException when the settings name a place that cannot be used
     * @throws dev.sqliteengine.api.ConnectionException when the database cannot be reached
     */
    DatabasePlace open(EngineSettings settings, Path allowedRoot);

    /**
     * @return whether the database lets one writer at a time (SQLite): then write units queue for
     *         one writer connection, and the queue may let running writers barge
     *         ({@code write.queue=bounded}); otherwise {@code write.connections} writers run at once
     */
    boolean oneWriter();

    /** @return how transactions begin and end on this type's connections */
    TransactionControl transactions();

    /** @return what this type's error codes mean */
    ErrorCodes errors();

    /** @return backup, restore and maintenance on this type */
    Upkeep upkeep();

    /** @return the streaming replicas of this type's servers; {@link Replication#NONE} where there are none */
    default Replication replication() {
        return Replication.NONE;
    }

    /** @return the database's version, as status shows it, asked on a connection of the engine */
    String version(java.sql.Connection c) throws java.sql.SQLException;
}
