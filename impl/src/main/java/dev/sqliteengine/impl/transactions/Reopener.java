package dev.sqliteengine.impl.transactions;

import dev.sqliteengine.impl.pool.PoolGeneration;

/**
 * What a write unit calls when it finds that its database is no longer at its place (its file was
 * deleted or replaced, see {@code DatabasePlace.fault()}): the engine reopens it, or throws while
 * it cannot. Implemented by the engine, which takes its lifecycle lock for it; the caller must not
 * hold the writer gate (lock order: lifecycle before gate).
 */
@FunctionalInterface
public interface Reopener {

    /**
     * @param seen the generation the unit found the fault on
     * @param fault what happened to the database
     * @throws dev.sqliteengine.api.ConnectionException while the database cannot be reopened
     */
    void reopen(PoolGeneration seen, String fault);
}
