/**
 * PostgreSQL: an implementation of the {@code database} seam ({@code PostgresqlType}), and the
 * only package that speaks to pgjdbc: the server's address and how the pools' connections log in
 * and are set up ({@code PGSimpleDataSource}, start-up options for isolation, lock waits and
 * read-only readers), transactions as SQL with pgjdbc's own view of whether one is open or
 * failed, SQLSTATEs, and what the engine leaves to the server (checkpoints, backups). Only the
 * {@code engine} package (which picks a type) may name a class of it; the core uses the seam.
 * May use {@code settings}, {@code events} and {@code database}.
 */
package dev.sqliteengine.impl.postgresql;
