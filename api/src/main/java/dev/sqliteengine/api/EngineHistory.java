package dev.sqliteengine.api;

import java.util.List;
import java.util.Objects;

/**
 * What an engine did recently, as {@link Engine#history()} returns it: two series of
 * {@link EngineSample}s, oldest first, and the checkpoints the engine ran. Immutable. The engine
 * keeps them in a bounded ring in memory: they start when the engine starts, survive its
 * reconfigurations, and are gone when it closes or the process ends.
 * <p>
 * How often an engine samples is its implementation's choice, each sample says how long its
 * interval was. sqlite-engine's SQLite engines take a {@link #recent()} sample every 2 seconds and
 * keep 15 minutes of them, and a coarser {@link #hour()} sample every 20 seconds, for an hour,
 * from the figures their health sampler already reads four times a second, so keeping the history
 * costs their units of work nothing.
 *
 * @param engine the engine's name
 * @param recent the fine series, the newest last; about the last 15 minutes
 * @param hour the coarse series, the newest last; about the last hour. Its samples add up those of
 *        the fine series that fall into them: the counts are summed, the percentiles are those of
 *        all the values together, and the peaks are the highest
 * @param checkpoints the WAL checkpoints that the engine ran itself (scheduled maintenance, its
 *        management operation) within the last hour, oldest first; at most one per fine sample;
 *        SQLite's automatic checkpoints are not among them (see {@link WalFigures#lastCheckpoint()});
 *        empty for a database type without a write-ahead log
 */
public record EngineHistory(String engine, List<EngineSample> recent, List<EngineSample> hour,
        List<CheckpointFigures> checkpoints) {

    /** Copies the lists so the history stays immutable. */
    public EngineHistory {
        Objects.requireNonNull(engine, "engine");
        recent = List.copyOf(recent);
        hour = List.copyOf(hour);
        checkpoints = List.copyOf(checkpoints);
    }

    /**
     * @param engine the engine's name
     * @return a history with no samples, as an engine that keeps none reports it
     */
    public static EngineHistory none(String engine) {
        return new EngineHistory(engine, List.of(), List.of(), List.of());
    }
}
