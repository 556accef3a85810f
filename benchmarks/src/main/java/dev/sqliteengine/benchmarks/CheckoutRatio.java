package dev.sqliteengine.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.sqliteengine.api.Engine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import javax.sql.DataSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link CheckoutBenchmark}'s ratio, engine against raw HikariCP, measured so that a shared,
 * noisy machine disturbs it less. Not JMH and not a test: run it by hand,
 * {@code java -cp benchmarks/target/benchmarks.jar dev.sqliteengine.benchmarks.CheckoutRatio [rounds]}.
 * <p>
 * JMH measures the engine and raw HikariCP in separate forks, seconds or minutes apart, and on
 * two cores shared with other work the load moves in between by more than the difference sought
 * (a few per cent). Here one JVM holds both, and each round measures {@value #WINDOW_MS} ms of
 * raw HikariCP, of {@code Engine.connect()} and of the engine's {@code DataSource}, back to back
 * in an order that changes every round; each round gives a ratio, and the median over the rounds
 * is printed, with the quartiles. The same file, pragmas and pool size as {@link CheckoutBenchmark}.
 */
public final class CheckoutRatio {

    static final long WINDOW_MS = 20;
    static final long WARMUP_MS = 6_000;
    /** Per window, the checkouts are divided by the thread's CPU time, not the wall time: time descheduled does not count. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /**
     * Each connection goes where JMH's benchmarks send it: without it, the JIT may see that raw
     * HikariCP's connection never leaves the loop and not allocate it at all.
     */
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private CheckoutRatio() {}

    /** One window of one path; each path has its own method, so each call site sees one type, as in JMH. */
    @FunctionalInterface
    private interface Window {
        double run() throws SQLException;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Path dir = Databases.tempDir();
        Engine engine = Databases.engine(dir, "checkout.db", Map.of("osgi.connection.max", 8));
        HikariDataSource raw = null;
        try {
            Databases.fill(engine);
            raw = Databases.hikari(Databases.driver(dir.resolve("checkout.db"), Databases.tunedConfig()), 8, "raw-checkout");
            DataSource engineSource = engine.dataSource();
            HikariDataSource rawSource = raw;
            Window[] paths = {() -> raw(rawSource), () -> connect(engine), () -> dataSource(engineSource)};
            String[] names = {"raw HikariCP", "Engine.connect()", "engine DataSource"};
            long warmEnd = System.nanoTime() + WARMUP_MS * 1_000_000L;
            while (System.nanoTime() < warmEnd) {
                for (Window path : paths) {
                    path.run();
                }
            }
            double[][] rates = new double[paths.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < paths.length; k++) {
                    int p = (k + r) % paths.length; // rotate the order: no path always runs first
                    rates[p][r] = paths[p].run();
                }
            }
            System.out.printf("%d rounds of %d ms per path; ops per CPU-ms median (quartiles):%n", rounds, WINDOW_MS);
            for (int p = 0; p < paths.length; p++) {
                System.out.printf("  %-18s %s%n", names[p], quartiles(rates[p].clone()));
            }
            for (int p = 1; p < paths.length; p++) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = rates[p][r] / rates[0][r];
                }
                System.out.printf("  %-18s ratio to raw HikariCP per round: %s%n", names[p], quartiles(ratio));
            }
        } finally {
            Databases.closeAll(dir, raw, engine);
        }
    }

    /** @return checkouts + closes per millisecond over one window */
    private static double raw(HikariDataSource source) throws SQLException {
        long start = System.nanoTime();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long end = start + WINDOW_MS * 1_000_000L;
        long n = 0;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                Connection c = source.getConnection();
                BLACKHOLE.consume(c);
                c.close();
            }
            n += 256;
            now = System.nanoTime();
        } while (now < end);
        return n / ((CPU.getCurrentThreadCpuTime() - cpuStart) / 1e6);
    }

    private static double connect(Engine engine) throws SQLException {
        long start = System.nanoTime();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long end = start + WINDOW_MS * 1_000_000L;
        long n = 0;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                Connection c = engine.connect();
                BLACKHOLE.consume(c);
                c.close();
            }
            n += 256;
            now = System.nanoTime();
        } while (now < end);
        return n / ((CPU.getCurrentThreadCpuTime() - cpuStart) / 1e6);
    }

    private static double dataSource(DataSource source) throws SQLException {
        long start = System.nanoTime();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long end = start + WINDOW_MS * 1_000_000L;
        long n = 0;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                Connection c = source.getConnection();
                BLACKHOLE.consume(c);
                c.close();
            }
            n += 256;
            now = System.nanoTime();
        } while (now < end);
        return n / ((CPU.getCurrentThreadCpuTime() - cpuStart) / 1e6);
    }

    private static String quartiles(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return String.format("%.3f (%.3f–%.3f)", values[n / 2], values[n / 4], values[3 * n / 4]);
    }
}
