package dev.sqliteengine.itests.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** What a leak shows as from inside the JVM: live threads and the process's open file descriptors. */
public final class ProcessResources {

    private static final Path OWN_FDS = Path.of("/proc/self/fd");

    private ProcessResources() {}

    /** @return the JVM's live threads */
    public static int liveThreads() {
        try {
            return ManagementFactory.getThreadMXBean().getThreadCount();
        } catch (LinkageError | RuntimeException e) { // java.management is not exported here
            return Thread.getAllStackTraces().size();
        }
    }

    /** @return the names of live threads that match */
    public static List<String> threadNames(Predicate<String> matching) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(matching)
                .sorted()
                .toList();
    }

    /** @return whether this platform lists open file descriptors under {@code /proc/self/fd} */
    public static boolean fileDescriptorsVisible() {
        return Files.isDirectory(OWN_FDS);
    }

    /** @return the process's open file descriptors (entries of {@code /proc/self/fd}) */
    public static int openFileDescriptors() {
        try (Stream<Path> entries = Files.list(OWN_FDS)) {
            return (int) entries.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + OWN_FDS, e);
        }
    }

    /** @return what the open file descriptors point to, for a failure message */
    public static List<String> openFiles() {
        try (Stream<Path> entries = Files.list(OWN_FDS)) {
            return entries.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return fd.getFileName() + " -> ?";
                }
            }).sorted().toList();
        } catch (IOException e) {
            return List.of("cannot list " + OWN_FDS + ": " + e);
        }
    }
}
