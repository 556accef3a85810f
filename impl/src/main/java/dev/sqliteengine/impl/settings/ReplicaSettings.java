package dev.sqliteengine.impl.settings;

import static dev.sqliteengine.api.EngineProperties.*;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The streaming replicas of a PostgreSQL engine, which serve its reads, and how a read that
 * follows a write must see it ({@code replicas}, {@code replicas.readYourWrites},
 * {@code replicas.readYourWritesTimeout}). Only the URLs are a property of the connections: a
 * change of them needs new pools; the rest applies at once.
 *
 * @param urls the replicas' JDBC URLs, in the configuration's order, none twice, none the
 *        primary's, none with a password; empty for none
 * @param readYourWrites whether a read must see the engine's earlier commits
 * @param readYourWritesTimeout ms a read waits for a replica to replay them, with {@link ReadYourWrites#WAIT}
 */
public record ReplicaSettings(List<String> urls, ReadYourWrites readYourWrites, long readYourWritesTimeout) {

    /** The most replicas an engine reads from. */
    public static final int MAX_REPLICAS = 16;

    /** No replicas: everything runs on the primary. */
    public static final ReplicaSettings NONE = new ReplicaSettings(List.of(), ReadYourWrites.valueOf(
            DEFAULT_REPLICAS_READ_YOUR_WRITES.toUpperCase(java.util.Locale.ROOT)), DEFAULT_REPLICAS_READ_YOUR_WRITES_TIMEOUT);

    public ReplicaSettings {
        urls = List.copyOf(urls);
        Objects.requireNonNull(readYourWrites);
    }

    /** @return whether reads may run on replicas */
    public boolean any() {
        return !urls.isEmpty();
    }

    /** @return whether commits must be followed: there are replicas, and reads must see the engine's commits */
    public boolean followsCommits() {
        return any() && readYourWrites != ReadYourWrites.OFF;
    }

    void putPlace(Map<String, Object> out) {
        out.put(REPLICAS, String.join(" ", urls));
    }

    void putTuning(Map<String, Object> out) {
        out.put(REPLICAS_READ_YOUR_WRITES, readYourWrites.configName());
        out.put(REPLICAS_READ_YOUR_WRITES_TIMEOUT, readYourWritesTimeout);
    }

    /**
     * Reads the replicas of a PostgreSQL engine.
     *
     * @param primary the primary's URL, which no replica may repeat
     */
    static ReplicaSettings parse(PropertyReader in, String primary) {
        List<String> urls = in.strings(REPLICAS, "jdbc:");
        String allowed = "JDBC URLs of streaming replicas of the server, jdbc:postgresql://host[:port]/database,"
                + " separated by spaces or commas";
        if (urls.size() > MAX_REPLICAS) {
            throw in.invalidShown(REPLICAS, urls.size() + " URLs", "at most " + MAX_REPLICAS + " " + allowed);
        }
        Set<String> seen = new HashSet<>();
        for (String url : urls) {
            PostgresqlSettings.checkedUrl(in, REPLICAS, url, allowed);
            if (!seen.add(url)) {
                throw in.invalidShown(REPLICAS, url, allowed + ", each once: this one is given twice");
            }
            if (url.equals(primary)) {
                throw in.invalidShown(REPLICAS, url, allowed + ": this is the server's own URL (" + URL
                        + "), where writes go; name its replicas");
            }
        }
        String modeValue = in.string(REPLICAS_READ_YOUR_WRITES, DEFAULT_REPLICAS_READ_YOUR_WRITES);
        ReadYourWrites mode = ReadYourWrites.byConfigName(modeValue);
        if (mode == null) {
            throw in.invalid(REPLICAS_READ_YOUR_WRITES, modeValue, "primary (read the primary while the replicas are"
                    + " behind the engine's last commit), wait (wait for a replica to replay it) or off");
        }
        long timeout = in.number(REPLICAS_READ_YOUR_WRITES_TIMEOUT, DEFAULT_REPLICAS_READ_YOUR_WRITES_TIMEOUT, 1, 60_000,
                "milliseconds from 1 to 60000");
        return new ReplicaSettings(urls, mode, timeout);
    }
}
