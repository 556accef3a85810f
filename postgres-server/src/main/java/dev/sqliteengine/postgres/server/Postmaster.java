package dev.sqliteengine.postgres.server;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a postmaster, from launch to exit, started through a watchdog so that it never
 * outlives the JVM.
 * <p>
 * The watchdog is a small shell script, the JVM's child (through {@code runuser} when the JVM runs
 * as root), whose standard input is a pipe from the JVM. It starts the postmaster in the
 * background, prints its process id, and reads its standard input until the end: the end comes
 * when the JVM closes the pipe ({@link #stop}) or when the JVM dies, even by SIGKILL, because the
 * kernel closes a dead process's pipes. The watchdog then asks the postmaster for a fast shutdown
 * (SIGINT: in-flight transactions roll back, the data stays consistent) and exits when it has.
 * When the postmaster ends first ({@link #kill}), the watchdog exits with it.
 * <p>
 * {@code pg_ctl start} is not used: it detaches the postmaster from its caller, so nothing would
 * stop the server when the JVM dies.
 */
final class Postmaster {

    /**
     * Arguments: the postgres program and its arguments. A background job's standard input is
     * /dev/null, so the pipe is kept as descriptor 3 for the watcher. The postmaster writes its
     * log to the watchdog's standard error, which the JVM points at server.log.
     */
    private static final String WATCHDOG = """
            exec 3<&0
            "$@" </dev/null 1>&2 &
            postmaster=$!
            echo "$postmaster"
            ( while read -r line; do :; done; kill -INT "$postmaster" 2>/dev/null ) <&3 &
            watcher=$!
            exec 3<&-
            wait "$postmaster"
            status=$?
            kill "$watcher" 2>/dev/null
            exit "$status"
            """;

    private final Process watchdog;
    private final ProcessHandle postmaster;
    private final Path data;
    private final Path log;
    private final long logStart;

    private Postmaster(Process watchdog, ProcessHandle postmaster, Path data, Path log, long logStart) {
        this.watchdog = watchdog;
        this.postmaster = postmaster;
        this.data = data;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * A start that did not reach "ready": the postmaster exited, and its log says why.
     */
    static final class StartFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final String log;

        StartFailed(String message, String log) {
            super(message + "\n" + log);
            this.log = log;
        }

        /** @return whether another process holds the port (taken between choosing it and binding it) */
        boolean portTaken() {
            return log.contains("Address already in use") || log.contains("could not bind IPv4 address");
        }

        /**
         * @return whether processes of a killed postmaster still hold its shared memory: they
         *         exit within moments, and the next attempt succeeds
         */
        boolean memoryStillInUse() {
            return log.contains("pre-existing shared memory block");
        }
    }

    /**
     * Starts a postmaster on the data folder; {@link #awaitReady} tells whether it came up. The
     * port and the socket's folder are given on the command line: a replica's data folder is a
     * copy of its primary's, postgresql.conf included.
     */
    static Postmaster launch(ServerAccount account, Binaries binaries, ServerFolder folder, int port) {
        List<String> program = List.of("/bin/sh", "-c", WATCHDOG, "postgres-watchdog",
                binaries.program("postgres").toString(),
                "-D", folder.data().toString(),
                "-p", Integer.toString(port),
                "-k", folder.socket().toString());
        Path log = folder.serverLog();
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Process watchdog = ProgramRun.hermetic(new ProcessBuilder(account.command(program)))
                    .redirectError(Redirect.appendTo(log.toFile()))
                    .start();
            String pid = new BufferedReader(new InputStreamReader(watchdog.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            ProcessHandle postmaster = pid == null ? null : ProcessHandle.of(Long.parseLong(pid.trim())).orElse(null);
            return new Postmaster(watchdog, postmaster, folder.data(), log, logStart);
        } catch (IOException | NumberFormatException e) {
            throw new PostgresServerException("Cannot start PostgreSQL's postmaster in " + folder.path() + ": " + e, e);
        }
    }

    /**
     * Waits until the postmaster accepts connections: its {@code postmaster.pid} carries its own
     * process id (not one a killed predecessor left) and the status "ready".
     *
     * @throws StartFailed when the postmaster exited first
     * @throws PostgresServerException when it was not ready in time (it is killed then)
     */
    void awaitReady(Duration timeout, String who) throws StartFailed {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (postmaster == null || !watchdog.isAlive()) {
                awaitExit(Duration.ofSeconds(10));
                closeStreams();
                throw new StartFailed(who + " did not start: the postmaster exited"
                        + (watchdog.isAlive() ? "" : " with code " + watchdog.exitValue()) + ". Its log:", logSinceLaunch());
            }
            if (PidFile.read(data).filter(file -> file.pid() == postmaster.pid() && file.ready()).isPresent()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                kill();
                throw new PostgresServerException(who + " was not ready within " + timeout.toSeconds()
                        + " s and was killed. Its log:\n" + logSinceLaunch());
            }
            Poll.pause();
        }
    }

    /**
     * Fast shutdown: closes the watchdog's pipe and waits until the postmaster has exited. If it
     * has not within the timeout, kills it.
     *
     * @return whether the postmaster shut down by itself in time
     */
    boolean stop(Duration timeout) {
        close(watchdog.getOutputStream());
        if (!awaitExit(timeout)) {
            kill();
            return false;
        }
        closeStreams();
        return true;
    }

    /**
     * Kills the postmaster and every process it started with SIGKILL, as a crash would, and waits
     * until they are gone. The postmaster goes first, so that it cannot react to its children's
     * deaths. A backend it forks meanwhile exits by itself when it sees its postmaster gone; until
     * then it holds the shared memory, which the next start reports ({@link StartFailed#memoryStillInUse}).
     */
    void kill() {
        if (postmaster != null) {
            List<ProcessHandle> children = postmaster.descendants().toList();
            postmaster.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            List<ProcessHandle> all = new ArrayList<>(children);
            all.add(postmaster);
            Poll.within(Duration.ofSeconds(30), () -> all.stream().allMatch(Postmaster::gone));
        }
        awaitExit(Duration.ofSeconds(30));
        close(watchdog.getOutputStream());
        closeStreams();
    }

    /** @return whether the postmaster process still runs */
    boolean isAlive() {
        return postmaster != null && postmaster.isAlive() && watchdog.isAlive();
    }

    /** @return the postmaster process */
    ProcessHandle process() {
        return postmaster;
    }

    /** @return what the postmaster logged since this launch */
    String logSinceLaunch() {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(logStart, length - 16_384);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return watchdog.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresServerException("Interrupted while waiting for the postmaster in " + data + " to exit", e);
        }
    }

    /**
     * A process is gone when it has exited, or is a zombie: an orphaned backend whose new parent
     * does not reap it holds no memory or socket any more.
     */
    private static boolean gone(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int endOfName = stat.lastIndexOf(')');
            return endOfName + 2 < stat.length() && stat.charAt(endOfName + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    private void closeStreams() {
        close(watchdog.getInputStream());
        close(watchdog.getErrorStream());
    }

    private static void close(Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // the watchdog is gone already
        }
    }
}
