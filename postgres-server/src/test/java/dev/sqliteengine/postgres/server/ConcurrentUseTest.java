package dev.sqliteengine.postgres.server;

import static dev.sqliteengine.postgres.server.PostgresPrimaryTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqliteengine.postgres.server.junit.PostgresExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Servers are shared by test threads: their life cycle and their helpers hold under concurrent calls. */
@ExtendWith(PostgresExtension.class)
class ConcurrentUseTest {

    @Test
    void eightThreadsCreateDatabasesOnOnePrimaryAtOnce(PostgresPrimary primary) throws Exception {
        List<PostgresDatabase> databases = onThreads(8, thread -> {
            List<PostgresDatabase> made = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                made.add(primary.createDatabase("db_" + thread + "_" + i));
            }
            return made;
        }).stream().flatMap(List::stream).toList();

        assertThat(databases).hasSize(16);
        for (PostgresDatabase database : databases) {
            assertThat(text(database.dataSource(), "SELECT current_database()")).isEqualTo(database.name());
        }
    }

    @Test
    void stopStartAndKillFromFourThreadsLeaveOneConsistentServer(PostgresPrimary primary) throws Exception {
        Path data = primary.dataFolder();
        List<String> outcomes = onThreads(4, thread -> {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int transition = ThreadLocalRandom.current().nextInt(3);
                try {
                    switch (transition) {
                        case 0 -> primary.stop();
                        case 1 -> primary.start();
                        default -> primary.kill();
                    }
                    seen.add("done");
                } catch (IllegalStateException wrongState) {
                    seen.add("refused"); // the state had moved on: the only other outcome allowed
                }
            }
            return seen;
        }).stream().flatMap(List::stream).toList();

        assertThat(outcomes).hasSize(16).containsOnly("done", "refused");
        if (!primary.isRunning()) {
            primary.start();
        }
        assertThat(text(primary.superuserDataSource("postgres"), "SELECT 'consistent'")).isEqualTo("consistent");
        long postmaster = primary.postmasterProcess().orElseThrow().pid();
        assertThat(PidFile.read(data)).hasValueSatisfying(file -> assertThat(file.pid()).isEqualTo(postmaster));
        assertThat(postmastersOf(data)).as("one postmaster for the data folder").containsExactly(postmaster);

        primary.close();

        assertThat(postmastersOf(data)).isEmpty();
    }

    /** @return the postgres processes started on the data folder ({@code -D <data>} among their arguments) */
    private static List<Long> postmastersOf(Path data) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments()
                        .map(arguments -> Arrays.asList(arguments).contains(data.toString())
                                && process.info().command().map(command -> command.endsWith("/postgres")).orElse(false))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    private interface ThreadWork<T> {
        T run(int thread) throws Exception;
    }

    /** Runs the work on that many threads at once, released together; @return their results */
    private static <T> List<T> onThreads(int threads, ThreadWork<T> work) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<T> task = () -> {
                    start.await();
                    return work.run(thread);
                };
                futures.add(executor.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(5, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
