package dev.sqliteengine.impl.jmx;

import java.util.Map;

/**
 * An engine as JMX shows it, under {@code dev.sqliteengine:type=Engine,name=<engine>}: the figures
 * of its {@code EngineStatus} as open types (numbers and strings, composite values for the nested
 * figures, a table for the errors by result code), which jconsole, VisualVM and Prometheus'
 * jmx_exporter read without any of this bundle's classes. Times are nanoseconds.
 */
public interface EngineMXBean {

    /** @return the engine's name */
    String getName();

    /** @return RUNNING, FAILED, CLOSING or CLOSED */
    String getState();

    /** @return the database file's absolute path, or {@code :memory:} */
    String getPath();

    /** @return whether the engine refuses writes */
    boolean isReadOnly();

    /** @return the SQLite library's version */
    String getSqliteVersion();

    /** @return the writer pool (one connection; all zero on a read-only engine) */
    Pool getWriterPool();

    /** @return the pool of query-only readers for read units */
    Pool getReadersPool();

    /** @return the pool behind the engine's {@code DataSource} and {@code connect()} */
    Pool getDataSourcePool();

    /** @return the queue for the writer */
    WriterQueue getWriterQueue();

    /** @return how long a checkout from any of the pools waited */
    Latency getCheckoutWait();

    /** @return how long connections stayed checked out (millisecond resolution) */
    Latency getConnectionUsage();

    /** @return how long read units took */
    Latency getReadUnits();

    /** @return how long write units took, queue and retries included */
    Latency getWriteUnits();

    /** @return write transactions committed since the engine started */
    long getCommits();

    /** @return write transactions rolled back since the engine started */
    long getRollbacks();

    /** @return failed units and checkouts since the engine started */
    long getErrors();

    /** @return write units run again after SQLITE_BUSY/SQLITE_LOCKED */
    long getRetries();

    /** @return times SQLite reported the database busy or locked */
    long getBusyWaits();

    /** @return waits that ran out of time (writer queue, checkouts, write deadlines) */
    long getTimeouts();

    /** @return configuration changes applied since the engine started */
    long getReconfigurations();

    /** @return {@code prepareStatement} calls answered from the statement cache, without preparing */
    long getStatementsReused();

    /** @return statements prepared to be kept in the statement cache (first seen, evicted, or stale) */
    long getStatementsPrepared();

    /** @return errors by SQLite's extended result code name, {@code NONE} for those without one */
    Map<String, Long> getErrorsByCode();

    /** @return the write-ahead log and the last checkpoint the engine ran */
    Wal getWal();

    /**
     * Runs {@code PRAGMA wal_checkpoint(mode)}, waiting in the writer queue like any write.
     *
     * @param mode PASSIVE, FULL, RESTART or TRUNCATE
     * @return SQLite's answer, for example {@code completed: walPages=12, checkpointedPages=12}
     */
    String checkpoint(String mode);

    /** Runs {@code PRAGMA optimize}. */
    void optimize();

    /**
     * Takes an online backup with SQLite's backup API, as {@code Engine.backup} does: written
     * owner-only to a temporary name, checked with {@code integrity_check}, then moved into place.
     *
     * @param file the backup's absolute path, inside the allowed root when one is set
     * @return what was written, for example {@code /backups/main.db: 120 pages, 491520 bytes in 35 ms}
     */
    String backup(String file);

    /**
     * Replaces the engine's database with a backup while its services stay registered, as
     * {@code Engine.restore} does; a file that is not a healthy SQLite database is refused and the
     * old data keeps serving.
     *
     * @param file the backup's absolute path
     * @return what was copied and how long new work waited, for example {@code 120 pages, paused 40 ms}
     */
    String restore(String file);

    /** @return the engine's health: OK, WARN or CRITICAL, the worst of its checks */
    String getHealth();

    /** @return each health check's status and reason, for example {@code wal -> "WARN: ..."} */
    Map<String, String> getHealthChecks();

    /** One pool's figures at one moment. */
    interface Pool {
        /** @return open connections, busy or idle */
        int getTotal();

        /** @return connections checked out */
        int getActive();

        /** @return connections waiting in the pool */
        int getIdle();

        /** @return threads waiting for a connection */
        int getWaiting();

        /** @return the pool's maximum size */
        int getMax();

        /** @return the idle connections the pool keeps */
        int getMin();
    }

    /** Percentiles over about the last minute, and totals since the engine started. */
    interface Latency {
        /** @return the median over the window, ns */
        long getP50Nanos();

        /** @return the 99th percentile over the window, ns */
        long getP99Nanos();

        /** @return the maximum over the window, ns */
        long getMaxNanos();

        /** @return how many the window holds */
        long getWindowCount();

        /** @return how many since the engine started */
        long getCount();

        /** @return their summed time since the engine started, ns */
        long getTotalNanos();
    }

    /** The queue for the writer connection. */
    interface WriterQueue {
        /** @return threads waiting now */
        int getWaiting();

        /** @return how long writers waited */
        Latency getWaitTime();

        /** @return writers that gave up waiting, since the engine started */
        long getTimeouts();
    }

    /** The {@code -wal} file and the last checkpoint the engine ran. */
    interface Wal {
        /** @return the file's size in bytes */
        long getSizeBytes();

        /** @return the pages (frames) the file holds room for */
        long getPages();

        /** @return when the last checkpoint ended (ISO-8601), or an empty string */
        String getLastCheckpointTime();

        /** @return e.g. {@code TRUNCATE completed: walPages=3, checkpointedPages=3}, or an empty string */
        String getLastCheckpointResult();
    }
}
