/**
 * JMX: each engine's MXBean (its figures, health and operations) and its registration. Exported
 * to {@code java.management} only, which reflects on the MXBean interface; uses the engine.
 */
package dev.sqliteengine.impl.jmx;
