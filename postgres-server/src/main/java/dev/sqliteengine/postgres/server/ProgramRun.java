package dev.sqliteengine.postgres.server;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of PostgreSQL's programs to its end ({@code initdb}, {@code pg_basebackup}), its output
 * appended to a log whose end goes into the error when it fails.
 */
final class ProgramRun {

    private ProgramRun() {}

    /**
     * @param what what the program does, for the error ("initdb of the primary")
     * @throws PostgresServerException when the program fails, or runs longer than the timeout
     */
    static void run(List<String> command, Path log, Duration timeout, String what) {
        Process process;
        try {
            process = hermetic(new ProcessBuilder(command))
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new PostgresServerException(what + " could not start " + command.get(0) + ": " + e, e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PostgresServerException(what + " took longer than " + timeout.toSeconds() + " s and was"
                        + " stopped. Its output:\n" + tail(log, 30));
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new PostgresServerException(what + ": " + e, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PostgresServerException(what + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new PostgresServerException(what + " failed (exit code " + process.exitValue() + "): "
                    + String.join(" ", command) + "\n" + tail(log, 30));
        }
    }

    /** @return whether the command ran and exited with 0 within 30 s; its output is dropped */
    static boolean succeeds(List<String> command) {
        try {
            Process process = hermetic(new ProcessBuilder(command))
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The environment without libpq's variables (PGHOST, PGPORT, PGDATA, PGOPTIONS, ...), which a
     * developer's shell may set and which would point the programs elsewhere.
     */
    static ProcessBuilder hermetic(ProcessBuilder builder) {
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("PG"));
        return builder;
    }

    /** @return the last lines of a log, or a note that there is none */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
