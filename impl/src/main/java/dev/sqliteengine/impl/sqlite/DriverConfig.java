package dev.sqliteengine.impl.sqlite;

import dev.sqliteengine.api.ConnectionRole;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.impl.settings.Pragma;
import dev.sqliteengine.impl.settings.PragmaSet;
import org.sqlite.SQLiteConfig;

/**
 * The sqlite-jdbc configuration of one pool's connections: the engine's pragmas, which the driver
 * applies to every connection it opens, and the driver settings the engine relies on.
 * <p>
 * Security: a pragma value reaches the driver only as the canonical value {@link Pragma} produced
 * from the configuration, a keyword from a fixed list or a parsed number.
 */
final class DriverConfig {

    private DriverConfig() {}

    static SQLiteConfig of(EngineSettings settings, ConnectionRole role) {
        SQLiteConfig driver = new SQLiteConfig();
        applyPragmas(settings.pragmas(), driver, !settings.readOnly());
        driver.setReadOnly(settings.readOnly());
        // Generated keys cost 20-40% on inserts and are rarely used with SQLite (last_insert_rowid()).
        driver.setPragma(SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS, "false");
        if (role == ConnectionRole.DATA_SOURCE) {
            // The engine's ClientConnection keeps the driver in auto-commit mode and begins
            // transactions itself. Only code that unwraps to the driver's connection and switches it
            // to manual commit reaches this mode: the write lock at the start, never an upgrade.
            driver.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        return driver;
    }

    /**
     * Sets every pragma on a driver configuration. The journal mode is left out for connections
     * that must not change the file (a read-only engine), since switching it writes the header.
     * The pragmas of the file ({@link Pragma#ofFile()}) are left out: {@link NewFile} applies them.
     */
    private static void applyPragmas(PragmaSet pragmas, SQLiteConfig config, boolean includeJournalMode) {
        for (Pragma p : Pragma.values()) {
            if (!p.ofFile() && (p != Pragma.JOURNAL_MODE || includeJournalMode)) {
                apply(p, config, pragmas.get(p));
            }
        }
    }

    private static void apply(Pragma pragma, SQLiteConfig config, String canonical) {
        switch (pragma) {
            case JOURNAL_MODE -> config.setJournalMode(SQLiteConfig.JournalMode.valueOf(canonical));
            case SYNCHRONOUS -> config.setPragma(SQLiteConfig.Pragma.SYNCHRONOUS, canonical);
            case CACHE_SIZE -> config.setCacheSize(Integer.parseInt(canonical));
            case FOREIGN_KEYS -> config.enforceForeignKeys("ON".equals(canonical));
            case BUSY_TIMEOUT -> config.setBusyTimeout(Integer.parseInt(canonical));
            case MMAP_SIZE -> config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, canonical);
            case TEMP_STORE -> config.setTempStore(SQLiteConfig.TempStore.valueOf(canonical));
            case JOURNAL_SIZE_LIMIT -> config.setPragma(SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, canonical);
            case WAL_AUTOCHECKPOINT -> config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, canonical);
            case SECURE_DELETE -> config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, canonical);
            case AUTO_VACUUM, PAGE_SIZE -> throw new IllegalArgumentException(pragma.sqlName() + " is a property of the"
                    + " file, never set on a pool connection");
        }
    }
}
