package dev.sqliteengine.postgres.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder with PostgreSQL's server programs. Looked up in this order: {@link ServerProperties#BIN}
 * (or its environment variable), {@code pg_config --bindir} when that folder has the programs
 * (Debian's {@code pg_config} may belong to a client-only package), and the newest
 * {@code /usr/lib/postgresql/<version>/bin}, where Debian and Ubuntu put each major version.
 */
final class Binaries {

    /** The programs the servers need; a folder without any of them is no PostgreSQL. */
    static final List<String> PROGRAMS = List.of("initdb", "postgres", "pg_basebackup");

    private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");

    private final Path folder;

    private Binaries(Path folder) {
        this.folder = folder;
    }

    /** @return the folder named by {@link ServerProperties#BIN}, else the first one found */
    static Binaries locate() {
        String configured = ServerProperties.read(ServerProperties.BIN, ServerProperties.BIN_ENV);
        if (configured != null) {
            return in(Path.of(configured));
        }
        List<String> looked = new ArrayList<>();
        looked.add("-D" + ServerProperties.BIN + " and $" + ServerProperties.BIN_ENV + ": not set");
        Optional<Path> fromPgConfig = pgConfigBindir(looked);
        if (fromPgConfig.isPresent()) {
            return new Binaries(fromPgConfig.get());
        }
        Optional<Path> newest = newestUnder(DEBIAN_VERSIONS);
        if (newest.isPresent()) {
            return new Binaries(newest.get());
        }
        looked.add(DEBIAN_VERSIONS + "/<version>/bin: none with " + String.join(", ", PROGRAMS));
        throw new PostgresServerException("PostgreSQL's server programs (" + String.join(", ", PROGRAMS)
                + ") were not found. Looked at: " + String.join("; ", looked) + ". " + HOW_TO_INSTALL);
    }

    /** @return the given folder, when it has every one of {@link #PROGRAMS} */
    static Binaries in(Path folder) {
        List<String> missing = PROGRAMS.stream().filter(name -> !isProgram(folder.resolve(name))).toList();
        if (!missing.isEmpty()) {
            throw new PostgresServerException("The folder " + folder + " (-D" + ServerProperties.BIN + " or $"
                    + ServerProperties.BIN_ENV + ") has no PostgreSQL program " + String.join(", ", missing)
                    + ": name the folder that has " + String.join(", ", PROGRAMS) + ". " + HOW_TO_INSTALL);
        }
        return new Binaries(folder.toAbsolutePath());
    }

    static final String HOW_TO_INSTALL = "Install PostgreSQL's server: on Debian or Ubuntu `apt-get install"
            + " postgresql` (the build's .ci/run does this when initdb is missing; the service need not run),"
            + " on macOS `brew install postgresql@15`; or set -D" + ServerProperties.BIN + " (or $"
            + ServerProperties.BIN_ENV + ") to the folder that has " + String.join(", ", PROGRAMS) + ".";

    /**
     * @param versions a folder of version folders, each with a {@code bin} inside
     * @return the {@code bin} of the highest version that has every program
     */
    static Optional<Path> newestUnder(Path versions) {
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(versions)) {
            return entries
                    .filter(entry -> VERSION.matcher(entry.getFileName().toString()).matches())
                    .filter(entry -> PROGRAMS.stream().allMatch(name -> isProgram(entry.resolve("bin").resolve(name))))
                    .max(Comparator.comparingLong(Binaries::versionOrder))
                    .map(entry -> entry.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** @return the program's path in this folder */
    Path program(String name) {
        return folder.resolve(name);
    }

    /** @return the folder */
    Path folder() {
        return folder;
    }

    /** 9.6 below 10, 10 below 15: major * 1000 + minor. */
    private static long versionOrder(Path versionFolder) {
        Matcher version = VERSION.matcher(versionFolder.getFileName().toString());
        if (!version.matches()) {
            return -1;
        }
        long minor = version.group(2) == null ? 0 : Long.parseLong(version.group(2));
        return Long.parseLong(version.group(1)) * 1000 + minor;
    }

    private static Optional<Path> pgConfigBindir(List<String> looked) {
        Process process;
        try {
            process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
        } catch (IOException e) {
            looked.add("pg_config --bindir: no pg_config on the PATH");
            return Optional.empty();
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || output.isEmpty()) {
                looked.add("pg_config --bindir: failed (" + output + ")");
                return Optional.empty();
            }
            Path bindir = Path.of(output.lines().findFirst().orElseThrow());
            if (PROGRAMS.stream().allMatch(name -> isProgram(bindir.resolve(name)))) {
                return Optional.of(bindir);
            }
            looked.add("pg_config --bindir: " + bindir + " (not all of " + String.join(", ", PROGRAMS) + ")");
            return Optional.empty();
        } catch (IOException e) {
            looked.add("pg_config --bindir: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresServerException("Interrupted while running pg_config --bindir", e);
        } finally {
            process.destroy();
        }
    }

    private static boolean isProgram(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
