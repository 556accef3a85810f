package dev.sqliteengine.postgres.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operating-system account that runs PostgreSQL's programs. PostgreSQL refuses to run as root
 * ({@code initdb: cannot be run as root}) and CI builds run as root: then every program runs as an
 * unprivileged account ({@link ServerProperties#ACCOUNT}, default {@code postgres}) through
 * {@code runuser -u <account> --}, and every file those programs use is handed to that account
 * ({@link #own}). As any other user the programs run directly, as that user, and {@link #own}
 * does nothing.
 */
final class ServerAccount {

    static final String DEFAULT_ACCOUNT = "postgres";

    private final String name;
    /** The account's principal when the programs run as another account, else null. */
    private final UserPrincipal switchedTo;
    private final List<String> prefix;

    private ServerAccount(String name, UserPrincipal switchedTo, List<String> prefix) {
        this.name = name;
        this.switchedTo = switchedTo;
        this.prefix = prefix;
    }

    /** @return the account for this JVM: the JVM's own user, or the configured one if that is root */
    static ServerAccount forThisProcess() {
        if (!runsAsRoot()) {
            return new ServerAccount(System.getProperty("user.name"), null, List.of());
        }
        String account = Objects.requireNonNullElse(
                ServerProperties.read(ServerProperties.ACCOUNT, ServerProperties.ACCOUNT_ENV), DEFAULT_ACCOUNT);
        UserPrincipal principal;
        try {
            principal = Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(account);
        } catch (UserPrincipalNotFoundException e) {
            throw new PostgresServerException("The JVM runs as root, which PostgreSQL refuses, and the account '"
                    + account + "' that should run PostgreSQL instead does not exist. Debian's postgresql package"
                    + " creates 'postgres' (the build's .ci/run installs it); or set -D" + ServerProperties.ACCOUNT
                    + " (or $" + ServerProperties.ACCOUNT_ENV + ") to an unprivileged account, or run the build"
                    + " as a user other than root.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path runuser = findRunuser().orElseThrow(() -> new PostgresServerException("The JVM runs as root, which"
                + " PostgreSQL refuses, and there is no runuser (util-linux) to start PostgreSQL as '" + account
                + "': install"
                + " util-linux, or run the build as a user other than root."));
        return new ServerAccount(account, principal, List.of(runuser.toString(), "-u", account, "--"));
    }

    /** @return the command that runs the program as this account */
    List<String> command(List<String> program) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(program);
        return command;
    }

    /** Hands a file or folder the JVM made to this account, so that PostgreSQL's programs may use it. */
    void own(Path path) {
        if (switchedTo == null) {
            return;
        }
        try {
            Files.setOwner(path, switchedTo);
        } catch (IOException e) {
            throw new PostgresServerException("Cannot hand " + path + " to the account '" + name + "' that runs"
                    + " PostgreSQL: " + e, e);
        }
    }

    /** @return whether the file belongs to this account */
    boolean owns(Path path) throws IOException {
        UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
        return switchedTo == null ? owner.getName().equals(name) : owner.equals(switchedTo);
    }

    /** @return the account's name */
    String name() {
        return name;
    }

    /** @return whether the programs run as another account than the JVM's (the JVM runs as root) */
    boolean switched() {
        return switchedTo != null;
    }

    /**
     * The effective user of the JVM: on Linux the owner of {@code /proc/self}; elsewhere Java's
     * {@code user.name}.
     */
    static boolean runsAsRoot() {
        Path self = Path.of("/proc/self");
        if (Files.isDirectory(self)) {
            try {
                return ((Integer) Files.getAttribute(self, "unix:uid")) == 0;
            } catch (IOException | UnsupportedOperationException e) {
                // fall through to user.name
            }
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static Optional<Path> findRunuser() {
        List<String> folders = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        folders.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return folders.stream()
                .filter(folder -> !folder.isBlank())
                .map(folder -> Path.of(folder, "runuser"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
