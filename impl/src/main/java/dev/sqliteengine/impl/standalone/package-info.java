/**
 * Engines outside OSGi: {@code StandaloneEngineFactory}, the {@code EngineFactory} that
 * {@code ServiceLoader} finds on the module path or the class path, which registers an engine's
 * MXBean when its configuration asks for it ({@code jmx.enabled}). Uses the engine and the
 * {@code jmx} package; nothing here runs inside a framework, where the {@code osgi} components
 * register every engine.
 */
package dev.sqliteengine.impl.standalone;
