package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.api.ConfigurationException;
import dev.sqliteengine.api.EngineProperties;
import dev.sqliteengine.impl.database.DatabasePlace;
import dev.sqliteengine.impl.database.DatabaseType;
import dev.sqliteengine.impl.database.ErrorCodes;
import dev.sqliteengine.impl.database.Replication;
import dev.sqliteengine.impl.database.TransactionControl;
import dev.sqliteengine.impl.database.Upkeep;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.PostgresqlSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * A PostgreSQL server through pgjdbc: any number of engines on a server (nothing is claimed),
 * {@code write.connections} writers at once, readers whose transactions are read-only,
 * transactions as SQL with pgjdbc's view of whether one is open, SQLSTATEs, and no maintenance of
 * the engine's own (the server runs its checkpoints; backups are {@code pg_dump}'s and
 * {@code pg_basebackup}'s). Everything in the engine that is PostgreSQL's own is in this package,
 * behind {@link DatabaseType}.
 */
public final class PostgresqlType implements DatabaseType {

    /** The name of the type in configuration. */
    public static final String NAME = PostgresqlSettings.TYPE;

    private final TransactionControl transactions = new PostgresqlTransactions();
    private final ErrorCodes errors = new SqlStates();
    private final Upkeep upkeep = new PostgresqlUpkeep();
    private final Replication replication = new PostgresqlReplication();

    @Override
    public String name() {
        return NAME;
    }

    /** @return null: engines on a server claim nothing, however many share a database */
    @Override
    public Path claimFor(EngineSettings settings, Path allowedRoot) {
        requireReadableUrl(settings);
        return null;
    }

    @Override
    public DatabasePlace open(EngineSettings settings, Path allowedRoot) {
        requireReadableUrl(settings);
        return new ServerPlace(settings.postgresql().url());
    }

    /** @throws ConfigurationException when pgjdbc cannot read the URL (its form was checked with the settings) */
    private static void requireReadableUrl(EngineSettings settings) {
        String url = settings.postgresql().url();
        if (Driver.parseURL(url, new Properties()) == null) {
            throw new ConfigurationException(settings.name(), EngineProperties.URL, url,
                    "a URL pgjdbc can read: jdbc:postgresql://host[:port]/database[?parameter=value&...]");
        }
    }

    /** @return false: the server lets {@code write.connections} writers run at once */
    @Override
    public boolean oneWriter() {
        return false;
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
    public Replication replication() {
        return replication;
    }

    /** @return the server's version, as {@code SHOW server_version} gives it (for example {@code 15.18 (Debian …)}) */
    @Override
    public String version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW server_version")) {
            return r.next() ? r.getString(1) : "";
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
