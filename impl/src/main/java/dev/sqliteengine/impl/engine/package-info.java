/**
 * The engine's lifecycle: {@code SqliteEngine} (open, reconfigure, reopen, close, the stable
 * front its services are), the {@code EngineRegistry} of one container (names, file claims, the
 * database types, shared threads), the {@code EngineFactory} and the status source. The only
 * package that picks a database type, and so the only one below {@code jmx} and {@code osgi} that
 * may name the {@code sqlite} package.
 */
package dev.sqliteengine.impl.engine;
