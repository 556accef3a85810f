package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.database.ErrorCodes;
import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.database.Upkeep;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite through xerial's sqlite-jdbc: a database file (or a private in-memory database) claimed
 * by one engine, one writer connection, query-only readers, SQLite's result codes, WAL
 * checkpoints and the online backup API. Everything in the engine that is SQLite's own is in this
 * package, behind {@link DatabaseType}.
 */
public final class SqliteType implements DatabaseType {

    /** The name of the type in configuration. */
    public static final String NAME = "sqlite";

    private final TransactionControl transactions = new SqliteTransactions();
    private final ErrorCodes errors = new ResultCodes();
    private final Upkeep upkeep = new SqliteUpkeep();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Path claimFor(EngineSettings settings, Path allowedRoot) {
        // Everything about the path that can be known without creating a folder or a file.
        return settings.inMemory() ? null : DatabasePath.resolve(settings, allowedRoot).file();
    }

    @Override
    public DatabasePlace open(EngineSettings settings, Path allowedRoot) {
        return DatabaseLocation.open(settings, allowedRoot);
    }

    /** @return true: SQLite has one write lock, so the engine keeps one writer connection */
    @Override
    public boolean oneWriter() {
        return true;
    }

    @Override
    public TransactionControl transactions() {
        return transactions;
    }

    @Override
    public ErrorCodes errors() {
        return errors;
    }

    @Override
    public Upkeep upkeep() {
        return upkeep;
    }

    @Override
    public String version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT sqlite_version()")) {
            return r.next() ? r.getString(1) : "";
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
