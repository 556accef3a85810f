package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.BackupResult;
import dev.sqliteengine.api.ConnectionManager;
import dev.sqliteengine.api.EngineException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.SQLiteConnection;

/**
 * An online backup of a running engine into a new file, with SQLite's backup API.
 * <p>
 * How writers go on: the copy runs on a reader connection inside one read transaction, so it
 * copies one snapshot, in steps of {@link #PAGES_PER_STEP} pages, and never restarts (SQLite
 * restarts a stepped backup when the source changes between steps, which a held snapshot
 * prevents). In WAL mode writers commit meanwhile; the WAL cannot be checkpointed past the
 * snapshot until the copy ends. Every write committed before {@link BackupResult#started()} is in
 * the snapshot, because the snapshot is taken after that instant.
 * <p>
 * Where it lands: the copy goes to a temporary file beside the target, created {@code rw-------}
 * before SQLite opens it (SQLite gives its journal the same permissions), passes
 * {@code PRAGMA integrity_check}, is switched to {@code journal_mode=DELETE} (no side files
 * needed to open it), synced, and only then linked into place, which fails if anything appeared
 * at the target meanwhile. Target and folder are checked against the allowed root with links
 * followed, before and after the folder is created.
 */
final class OnlineBackup {

    static final int PAGES_PER_STEP = 1024;

    private OnlineBackup() {}

    public static BackupResult run(String name, ConnectionManager units, Path target, Path allowedRoot) {
        Instant began = Instant.now();
        long t0 = System.nanoTime();
        Path file = target.toAbsolutePath().normalize();
        DatabasePath.realBelowRoot(name, file, allowedRoot, "a backup");
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new EngineException(name, file + " exists; back up to a new file");
        }
        Path folder = file.getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new EngineException(name, "cannot create the folder " + folder + " for a backup: " + e);
        }
        // created now: a folder swapped for a link meanwhile shows in its real path
        Path realFolder = DatabasePath.realBelowRoot(name, folder, allowedRoot, "a backup");
        Path temporary = realFolder.resolve("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
        boolean done = false;
        try {
            createOwnerOnly(name, temporary);
            long pages = copy(name, units, temporary);
            BackupCheck.requireHealthy(name, temporary, false, "the backup");
            sync(temporary);
            moveIntoPlace(name, temporary, realFolder.resolve(file.getFileName()), file);
            done = true;
            return new BackupResult(name, file, pages, Files.size(file), began, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new EngineException(name, "the backup to " + file + " failed: " + e);
        } finally {
            if (!done) {
                deleteQuietly(temporary);
            }
        }
    }

    /** @return the pages copied */
    private static long copy(String name, ConnectionManager units, Path temporary) {
        AtomicLong pages = new AtomicLong();
        units.read(c -> {
            // The read unit holds one snapshot for the whole copy: see the class comment.
            try (var s = c.createStatement(); var r = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
                r.next();
            }
            int rc = driver(c).getDatabase().backup("main", temporary.toString(),
                    (remaining, total) -> pages.set(total), 0, 3, PAGES_PER_STEP);
            if (rc != 0 && rc != ResultCodes.SQLITE_DONE) {
                throw new SQLException("[" + name + "] SQLite's backup API failed with result code " + rc, null, rc);
            }
            return null;
        });
        return pages.get();
    }

    static SQLiteConnection driver(Connection c) throws SQLException {
        return c.unwrap(SQLiteConnection.class);
    }

    private static void createOwnerOnly(String name, Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * A hard link fails if anything is at the target, so a file that appeared there since the
     * check is never replaced; where links are not supported, an atomic rename after a last check.
     */
    private static void moveIntoPlace(String name, Path temporary, Path real, Path shown) throws IOException {
        boolean linked;
        try {
            Files.createLink(real, temporary);
            linked = true;
        } catch (FileAlreadyExistsException e) {
            throw new EngineException(name, shown + " exists; back up to a new file");
        } catch (UnsupportedOperationException | IOException noLinks) {
            linked = false;
        }
        if (linked) {
            Files.delete(temporary);
            return;
        }
        if (Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new EngineException(name, shown + " exists; back up to a new file");
        }
        Files.move(temporary, real, StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteQuietly(Path file) {
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException e) {
                // the failure that got us here is the one to report
            }
        }
    }
}
