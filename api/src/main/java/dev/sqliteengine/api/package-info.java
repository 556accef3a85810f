/**
 * The sqlite-engine API: an {@link dev.sqliteengine.api.Engine} is one pooled SQLite database,
 * a {@link dev.sqliteengine.api.ConnectionManager} runs units of work on it with guaranteed
 * cleanup, and an {@link dev.sqliteengine.api.EngineFactory} creates engines from the same
 * properties that Config Admin uses (see {@link dev.sqliteengine.api.EngineProperties}).
 * <p>
 * Every failure that leaves the API is an unchecked {@link dev.sqliteengine.api.EngineException}
 * or one of its subclasses, with the SQLite result code kept where there is one.
 */
@Export
@Version("1.3.0")
package dev.sqliteengine.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
