package dev.sqliteengine.postgres.server;

import java.io.IOException;

/**
 * The JVM that {@link JvmKilledTest} kills: starts a primary, says where it is, and waits on its
 * standard input, which the test never closes.
 */
final class LaunchAndWait {

    private LaunchAndWait() {}

    public static void main(String[] args) throws IOException {
        PostgresPrimary primary = PostgresPrimary.launch();
        System.out.println("port=" + primary.port());
        System.out.println("folder=" + primary.folder());
        System.out.println("postmaster=" + primary.postmasterProcess().orElseThrow().pid());
        System.out.flush();
        while (System.in.read() != -1) {
            // wait
        }
    }
}
