package dev.sqliteengine.postgres.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * One server's folder, mode 0700 and owned by the account that runs PostgreSQL:
 * <pre>
 * data/        the data folder (PGDATA), made by initdb or pg_basebackup
 * run/         the Unix socket's folder (the socket trusts every connection: only the account reaches it)
 * server.log   what the postmaster writes
 * setup.log    what initdb and pg_basebackup wrote
 * </pre>
 */
final class ServerFolder {

    static final String DATA = "data";

    /** A Unix socket's path may have 107 bytes (108 with the terminating zero) on Linux. */
    private static final int MAX_SOCKET_PATH = 107;
    private static final String LONGEST_SOCKET_NAME = ".s.PGSQL.65535";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path path;
    private final ServerAccount account;

    private ServerFolder(Path path, ServerAccount account) {
        this.path = path;
        this.account = account;
    }

    static ServerFolder create(BaseFolder base, String role) {
        ServerAccount account = base.account();
        Path path;
        try {
            path = Files.createTempDirectory(base.path(), role + "-" + ProcessHandle.current().pid() + "-", OWNER_ONLY);
            account.own(path);
            Path socket = Files.createDirectory(path.resolve("run"), OWNER_ONLY);
            account.own(socket);
        } catch (IOException e) {
            throw new PostgresServerException("Cannot make a folder for a PostgreSQL " + role + " in " + base.path() + ": " + e, e);
        }
        ServerFolder folder = new ServerFolder(path, account);
        int socketPath = folder.socket().resolve(LONGEST_SOCKET_NAME).toString().getBytes(StandardCharsets.UTF_8).length;
        if (socketPath > MAX_SOCKET_PATH) {
            folder.delete();
            throw new PostgresServerException("The PostgreSQL socket's path in " + path + " would have " + socketPath
                    + " bytes, more than the " + MAX_SOCKET_PATH + " a Unix socket allows: set -D"
                    + ServerProperties.TMPDIR + " (or $" + ServerProperties.TMPDIR_ENV + ") to a shorter folder, such as /tmp");
        }
        return folder;
    }

    /** Writes a file that only the account that runs PostgreSQL can read (a password file for initdb). */
    Path writePrivate(String name, String content) {
        Path file = path.resolve(name);
        try {
            Files.writeString(Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), content);
        } catch (IOException e) {
            throw new PostgresServerException("Cannot write " + file + ": " + e, e);
        }
        account.own(file);
        return file;
    }

    /** Appends lines to a file of the data folder (postgresql.conf); the file keeps its owner. */
    void append(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new PostgresServerException("Cannot write " + file + ": " + e, e);
        }
    }

    Path path() {
        return path;
    }

    Path data() {
        return path.resolve(DATA);
    }

    Path socket() {
        return path.resolve("run");
    }

    Path serverLog() {
        return path.resolve("server.log");
    }

    Path setupLog() {
        return path.resolve("setup.log");
    }

    /** Deletes the folder and all in it; a folder already gone is fine. */
    void delete() {
        deleteTree(path);
    }

    /** Deletes a folder and all in it; what vanishes meanwhile (another JVM's sweep) is fine. */
    static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(folder);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            throw new PostgresServerException("Cannot delete " + root + ": " + e, e);
        }
    }
}
