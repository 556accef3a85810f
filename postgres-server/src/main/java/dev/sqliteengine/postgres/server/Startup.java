package dev.sqliteengine.postgres.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Brings a postmaster up, trying again where a failed start is worth another try: on a new server
 * a port that another process took between choosing and binding it; on a restart after
 * {@link PostgresServer#kill()}, shared memory that the killed processes still hold for a moment.
 */
final class Startup {

    private static final int PORT_ATTEMPTS = 5;

    private Startup() {}

    /** A postmaster that came up, and its port. */
    record Launched(int port, Postmaster postmaster) {}

    /** Starts a postmaster on a port of the loopback address that is free when chosen. */
    static Launched onFreePort(String role, Binaries binaries, ServerAccount account, ServerFolder folder) {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Postmaster run = Postmaster.launch(account, binaries, folder, port);
            try {
                run.awaitReady(PostgresServer.START_TIMEOUT, "The PostgreSQL " + role + " on port " + port);
                return new Launched(port, run);
            } catch (Postmaster.StartFailed failed) {
                if (!failed.portTaken() || attempt == PORT_ATTEMPTS) {
                    throw new PostgresServerException(failed.getMessage(), failed);
                }
            }
        }
    }

    /** Starts a postmaster on the port its clients know: a restart must not move the server. */
    static Postmaster onPort(ServerAccount account, Binaries binaries, ServerFolder folder, int port, String server) {
        long deadline = System.nanoTime() + PostgresServer.START_TIMEOUT.toNanos();
        while (true) {
            Postmaster run = Postmaster.launch(account, binaries, folder, port);
            try {
                run.awaitReady(PostgresServer.START_TIMEOUT, server);
                return run;
            } catch (Postmaster.StartFailed failed) {
                if (failed.portTaken()) {
                    throw new PostgresServerException(server + " cannot start again: another process took its port "
                            + port + " while it was stopped. " + failed.getMessage(), failed);
                }
                if (!failed.memoryStillInUse() || System.nanoTime() - deadline > 0) {
                    throw new PostgresServerException(failed.getMessage(), failed);
                }
                Poll.pause();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(PostgresServer.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PostgresServerException("No free port on " + PostgresServer.HOST + ": " + e, e);
        }
    }
}
