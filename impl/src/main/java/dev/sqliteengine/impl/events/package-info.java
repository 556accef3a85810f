/**
 * Events: an engine's listeners and the delivery of its events to them, and the {@code [name]}
 * prefix of its messages. Uses only {@code settings}; knows nothing of pools or databases.
 */
package dev.sqliteengine.impl.events;
