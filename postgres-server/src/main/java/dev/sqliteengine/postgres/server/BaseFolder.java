package dev.sqliteengine.postgres.server;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder that holds the servers' folders of one account: {@code <tmpdir>/sqliteengine-postgres-<account>},
 * made for that account with mode 0700 so that no other user can reach the data or the Unix
 * sockets inside (the sockets trust every local connection).
 * <p>
 * A server's folder is named {@code <role>-<JVM pid>-<random>}. A JVM killed with SIGKILL cannot
 * delete its folders (its servers stop by themselves: see {@link Postmaster}); {@link #sweep()}
 * deletes the folders of JVMs that are gone and whose server no longer runs.
 */
final class BaseFolder {

    private static final Pattern SERVER_FOLDER = Pattern.compile("(primary|replica)-(\\d+)-.+");

    private final Path path;
    private final ServerAccount account;

    private BaseFolder(Path path, ServerAccount account) {
        this.path = path;
        this.account = account;
    }

    /** @return the account's base folder under {@link ServerProperties#TMPDIR}, else {@code java.io.tmpdir} */
    static BaseFolder prepare(ServerAccount account) {
        return prepare(account, Path.of(Objects.requireNonNullElse(
                ServerProperties.read(ServerProperties.TMPDIR, ServerProperties.TMPDIR_ENV),
                System.getProperty("java.io.tmpdir"))));
    }

    /** @return the account's base folder in tmp, made if missing, checked to be the account's own and reachable by it */
    static BaseFolder prepare(ServerAccount account, Path tmpdir) {
        Path tmp = tmpdir.toAbsolutePath();
        Path base = tmp.resolve("sqliteengine-postgres-" + account.name());
        try {
            Files.createDirectories(tmp);
            try {
                Files.createDirectory(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                account.own(base);
            } catch (FileAlreadyExistsException e) {
                // Made before, by this JVM's user or by the account: checked below
            }
            if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
                throw new PostgresServerException(base + " is not a folder: remove it, or set -D"
                        + ServerProperties.TMPDIR + " to another place for the PostgreSQL test servers");
            }
            if (!account.owns(base)) {
                if (account.switched() && Files.getOwner(base, LinkOption.NOFOLLOW_LINKS).getName().equals("root")) {
                    account.own(base); // another root JVM made it a moment ago and has not handed it over yet
                } else {
                    throw new PostgresServerException(base + " belongs to " + Files.getOwner(base, LinkOption.NOFOLLOW_LINKS)
                            + ", not to the account '" + account.name() + "' that runs PostgreSQL: remove it, or set -D"
                            + ServerProperties.TMPDIR + " to another place");
                }
            }
        } catch (IOException e) {
            throw new PostgresServerException("Cannot make the folder " + base + " for PostgreSQL test servers: " + e
                    + "; set -D" + ServerProperties.TMPDIR + " (or $" + ServerProperties.TMPDIR_ENV + ") to a writable folder", e);
        }
        if (account.switched()) {
            checkReachable(account, base);
        }
        return new BaseFolder(base, account);
    }

    /** @return a new, empty server folder for a primary or a replica */
    ServerFolder newServerFolder(String role) {
        return ServerFolder.create(this, role);
    }

    /** Deletes the folders that JVMs now gone left behind, unless their server still runs. */
    void sweep() {
        List<Path> entries;
        try (Stream<Path> list = Files.list(path)) {
            entries = list.toList();
        } catch (IOException e) {
            return; // nothing to sweep is no reason to fail a test
        }
        for (Path entry : entries) {
            Matcher name = SERVER_FOLDER.matcher(entry.getFileName().toString());
            if (!name.matches()) {
                continue;
            }
            long jvm = Long.parseLong(name.group(2));
            if (jvm == ProcessHandle.current().pid() || isAlive(jvm) || postmasterRuns(entry.resolve(ServerFolder.DATA))) {
                continue;
            }
            try {
                ServerFolder.deleteTree(entry);
            } catch (PostgresServerException e) {
                // left for the next sweep: a stale folder is no reason to fail a test
            }
        }
    }

    /** @return the folder */
    Path path() {
        return path;
    }

    /** @return the account its servers run as */
    ServerAccount account() {
        return account;
    }

    /** The account must be able to search and write the base folder: every folder above it counts. */
    private static void checkReachable(ServerAccount account, Path base) {
        List<String> check = List.of("/bin/sh", "-c", "test -w \"$1\" && test -x \"$1\"", "reachable", base.toString());
        if (!ProgramRun.succeeds(account.command(check))) {
            throw new PostgresServerException("The account '" + account.name() + "' that runs PostgreSQL cannot reach "
                    + base + ": a folder above it is not searchable by others. Set -D" + ServerProperties.TMPDIR
                    + " (or $" + ServerProperties.TMPDIR_ENV + ") to a folder every user can reach, such as /tmp");
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** @return whether the data folder's {@code postmaster.pid} names a live process */
    private static boolean postmasterRuns(Path data) {
        return PidFile.read(data).map(file -> isAlive(file.pid())).orElse(false);
    }
}
