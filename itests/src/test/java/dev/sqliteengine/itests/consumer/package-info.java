/**
 * An application bundle of its own, as a user writes one: a Declarative Services component that
 * references one engine's {@code Engine}, {@code ConnectionManager} and {@code DataSource} services
 * and runs units on them while it is active ({@link UnitRunner}). The PostgreSQL run
 * (postgresql.bndrun) installs it as the bundle {@code dev.sqliteengine.itests.consumer}, and
 * its tests configure it, watch it and read its counts through this exported package.
 */
package dev.sqliteengine.itests.consumer;
