package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.CheckpointFigures;
import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.api.WalFigures;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.Pragma;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Where an engine's database lives: a file on disk, or a private in-memory database.
 * <p>
 * A private in-memory database uses SQLite's {@code memdb} VFS under a random name, so that all
 * of the engine's connections share it (unlike plain {@code :memory:}, where every connection
 * has its own) while using ordinary locking and busy handling (unlike a shared cache, whose
 * table locks busy_timeout does not wait for). SQLite frees such a database when its last
 * connection closes, so a keeper connection stays open for as long as the location is in use;
 * whatever the pools do with their connections, the data lives until {@link #release()}.
 */
public final class DatabaseLocation implements DatabasePlace {

    private final String configured;
    /** The resolved file, or null in memory; the one path used for the claim, comparisons and the URL. */
    private final DatabasePath place;
    private final Path file;
    private final String url;
    /** The file's identity (device and inode) when the engine opened it; null in memory or where unknown. */
    private final Object identity;
    private Connection keeper;
    /**
     * Keeper connections open in this class loader. A keeper is a native connection nobody else
     * can see, and an in-memory database lives as long as it does: the count is how a test sees
     * that none is left behind.
     */
    private static final AtomicInteger KEEPERS = new AtomicInteger();

    private DatabaseLocation(String configured, DatabasePath place, String url) {
        this.configured = configured;
        this.place = place;
        this.file = place == null ? null : place.file();
        this.url = url;
        this.identity = file == null ? null : identityOf(file);
    }

    private static Object identityOf(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Checks that the path still leads to the file the engine opened. SQLite keeps writing to a
     * file that was deleted (into an inode nobody can reach) or replaced (while new connections
     * would open the new file): both lose data silently, so write units check first. One
     * {@code stat} per write unit.
     *
     * @return null when all is well, else what happened to the file
     */
    @Override
    public String fault() {
        if (identity == null) {
            return null;
        }
        if (!Files.exists(file)) {
            return "the database file " + file + " was deleted while the engine had it open";
        }
        Object now = identityOf(file);
        return now == null || now.equals(identity) ? null
                : "the database file " + file + " was replaced by another file while the engine had it open";
    }

    /**
     * Resolves a configured path (see {@link DatabasePath}) and prepares it: creates missing
     * parent folders and, for a new database, an empty file readable by its owner only (SQLite
     * gives the {@code -wal} and {@code -shm} files the same permissions).
     *
     * @throws ConfigurationException when the path is a folder, leads out of the allowed root, or
     *         its folder cannot be created or written
     */
    public static DatabaseLocation open(EngineSettings settings, Path allowedRoot) {
        if (settings.inMemory()) {
            DatabaseLocation memory = new DatabaseLocation(EngineProperties.MEMORY_PATH, null,
                    "jdbc:sqlite:file:/sqlite-engine-" + UUID.randomUUID() + "?vfs=memdb");
            memory.keepAlive(settings);
            return memory;
        }
        return open(settings, DatabasePath.resolve(settings, allowedRoot), allowedRoot);
    }

    private static DatabaseLocation open(EngineSettings settings, DatabasePath place, Path allowedRoot) {
        Path file = place.file();
        Path folder = file.getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException | SecurityException e) {
            throw DatabasePath.invalid(settings, "a file in a folder that exists or can be created, but " + folder
                    + " cannot be created: " + e);
        }
        if (!settings.readOnly()) {
            if (!Files.isWritable(folder)) {
                throw DatabasePath.invalid(settings, "a file in a writable folder, but " + folder + " is not writable");
            }
            createOwnerOnly(settings, file);
        }
        place.recheck(settings, allowedRoot);
        return new DatabaseLocation(settings.path(), place, "jdbc:sqlite:" + file);
    }

    /**
     * Where the next settings put the database: this location when their path leads to the same
     * database (the same spelling, or another spelling of the same real file), so that an
     * in-memory database keeps its data and a file its pools' place; otherwise a new location.
     *
     * @throws ConfigurationException when the new path cannot be used
     */
    @Override
    public DatabaseLocation relocate(EngineSettings next, Path allowedRoot) {
        if (configured.equals(next.path())) {
            return this;
        }
        if (next.inMemory() || inMemory()) {
            return open(next, allowedRoot);
        }
        DatabasePath nextPlace = DatabasePath.resolve(next, allowedRoot);
        return nextPlace.equals(place) ? this : open(next, nextPlace, allowedRoot);
    }

    /**
     * A new location on this location's file, for the file that is there now (the old one was
     * replaced): the same real file, so the engine's claim on it stays right, checked again.
     */
    @Override
    public DatabaseLocation reopen(EngineSettings settings, Path allowedRoot) {
        if (inMemory()) {
            throw new IllegalStateException("[" + settings.name() + "] an in-memory database is never reopened");
        }
        return open(settings, place, allowedRoot);
    }

    private static void createOwnerOnly(EngineSettings settings, Path file) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
            // an existing database keeps its permissions; a non-POSIX file system has its own
        } catch (IOException e) {
            throw DatabasePath.invalid(settings, "a file that can be created, but creating " + file + " failed: " + e);
        }
    }

    private void keepAlive(EngineSettings settings) {
        SQLiteDataSource source = new SQLiteDataSource(new SQLiteConfig());
        source.setUrl(url);
        try {
            keeper = source.getConnection();
            KEEPERS.incrementAndGet();
        } catch (SQLException e) {
            throw ResultCodes.mapped(settings.name(), "opening the in-memory database", e, "");
        }
    }

    /** @return the JDBC URL every connection opens */
    String url() {
        return url;
    }

    /** @return the database file, or null for an in-memory database */
    public Path file() {
        return file;
    }

    @Override
    public Path claim() {
        return file;
    }

    @Override
    public boolean present() {
        return file == null || Files.exists(file);
    }

    @Override
    public void prepare(EngineSettings settings) {
        NewFile.prepare(settings, this);
    }

    @Override
    public DataSource driver(EngineSettings settings, ConnectionRole role) {
        SQLiteDataSource source = new SQLiteDataSource(DriverConfig.of(settings, role));
        source.setUrl(url);
        return source;
    }

    /** One statement: the driver has no setting for it, and it must come after the driver's own pragmas. */
    @Override
    public String readerSetup() {
        return "PRAGMA query_only=1";
    }

    @Override
    public void closing(DataSource writer) {
        if (file == null) {
            return; // an in-memory database goes with its keeper
        }
        try (Connection c = writer.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            // The file stays consistent; SQLite checkpoints when the last connection closes.
        }
    }

    /** Leaving WAL mode needs the only connection to the file (and only happens on the same file). */
    @Override
    public boolean switchNeedsSoleAccess(EngineSettings previous, EngineSettings next) {
        return "WAL".equals(previous.pragmas().get(Pragma.JOURNAL_MODE))
                && !"WAL".equals(next.pragmas().get(Pragma.JOURNAL_MODE));
    }

    @Override
    public WalFigures wal(CheckpointFigures last) {
        return WalFile.figures(this, last);
    }

    @Override
    public Path walFile() {
        return file == null ? null : file.resolveSibling(file.getFileName() + "-wal");
    }

    /** @return the path as configured */
    String configured() {
        return configured;
    }

    public boolean inMemory() {
        return file == null;
    }

    /** @return what status shows: the absolute file, or {@code :memory:} */
    @Override
    public String shown() {
        return file == null ? EngineProperties.MEMORY_PATH : file.toString();
    }

    /** Frees an in-memory database; a file stays where it is. */
    @Override
    public void release() {
        if (keeper != null) {
            try {
                keeper.close();
            } catch (SQLException e) {
                // the database is gone either way
            }
            keeper = null;
            KEEPERS.decrementAndGet();
        }
    }

    /** @return how many in-memory databases are kept alive by a keeper connection right now */
    public static int openKeepers() {
        return KEEPERS.get();
    }
}
