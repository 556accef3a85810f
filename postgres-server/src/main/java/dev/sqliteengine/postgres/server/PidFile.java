package dev.sqliteengine.postgres.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A data folder's {@code postmaster.pid}, which a postmaster writes as it starts and updates as it
 * goes: line 1 its process id, line 8 its status ({@code starting}, {@code ready}, {@code standby},
 * {@code stopping}). {@code pg_ctl} waits on the same file. A killed postmaster leaves the file
 * behind, so a status means something only together with the process id of the postmaster just
 * started.
 *
 * @param pid the postmaster's process id
 * @param status its status, or empty while the postmaster has not written it yet
 */
record PidFile(long pid, String status) {

    private static final String NAME = "postmaster.pid";

    /** @return the file's content, if it exists and names a process */
    static Optional<PidFile> read(Path data) {
        List<String> lines;
        try {
            lines = Files.readAllLines(data.resolve(NAME));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return Optional.empty();
        }
        return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), lines.size() >= 8 ? lines.get(7).trim() : ""));
    }

    /** @return whether the postmaster accepts connections (a hot standby says ready too) */
    boolean ready() {
        return status.equals("ready");
    }
}
