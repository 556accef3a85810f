package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.database.ErrorCodes;
import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.events.ListenerSet;
import dev.sqliteengine.impl.figures.EngineMetrics;
import dev.sqliteengine.impl.jdbc.StatementLog;
import dev.sqliteengine.impl.pool.CurrentGeneration;
import dev.sqliteengine.impl.replicas.ReadRouter;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.writer.GroupCommitQueue;
import dev.sqliteengine.impl.writer.WriterQueue;

/**
 * The parts of one engine that its units of work, its {@code DataSource} connections and its
 * operations share, each made once by the engine and kept for its whole life: its name, its
 * database type, the current pool generation, the writer queues, its figures, its listeners, its
 * statement log, and where its reads run. What changes (settings, pools) is reached through {@link #current}.
 *
 * @param name the engine's name, the prefix of its messages
 * @param type the engine's database type, the one seam to the driver
 * @param current the generation new work enters
 * @param gate the queue in front of the writer, shared across generations
 * @param units the queue of write units in front of the gate, which groups them (group commit)
 * @param metrics the figures since the engine started
 * @param listeners who hears the engine's events
 * @param statements what is logged of the statements run
 * @param reads where reads run when the engine has streaming replicas
 */
public record EngineCore(String name, DatabaseType type, CurrentGeneration current, WriterQueue gate,
        GroupCommitQueue units, EngineMetrics metrics, ListenerSet listeners, StatementLog statements,
        ReadRouter reads) {

    /** @return the settings in effect: the serving generation's, or the last one's */
    public EngineSettings settings() {
        return current.latest().settings();
    }

    /** @return how transactions begin and end on the engine's database */
    public TransactionControl transactions() {
        return type.transactions();
    }

    /** @return what the engine's database's error codes mean */
    public ErrorCodes errors() {
        return type.errors();
    }
}
