/**
 * SQLite: an implementation of the {@code database} seam ({@code SqliteType}), and the
 * only package that speaks to sqlite-jdbc: the file and its claims and links, pragmas and the
 * driver's configuration, {@code BEGIN IMMEDIATE} and {@code query_only}, result codes, WAL
 * figures, checkpoints, {@code quick_check}, and the online backup API. Only the {@code engine}
 * package (which picks a type) may name a class of it; the core uses the seam.
 */
package dev.sqliteengine.impl.sqlite;
