/**
 * OSGi: the Declarative Services components that turn Config Admin factory configurations into
 * engines and register their services, the {@code EngineFactory} service, the whiteboards for
 * listeners and connection setup hooks, the open-failure records, and where sqlite-jdbc puts its
 * native library inside a framework. The top of the layers: nothing else uses it.
 */
package dev.sqliteengine.impl.osgi;
