package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.sql.PreparedStatement;
import java.util.Map;

/**
 * The victim of {@link CrashSafetyTest}: writes rows one unit at a time through the engine and
 * prints each id only after {@code write} returned, i.e. after the commit was acknowledged.
 */
public final class CrashWriter {

    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        try (Engine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", args[0],
                "pragma.synchronous", args[1]), "victim", null), new EngineRegistry())) {
            engine.connections().execute(c -> c.createStatement().execute(
                    "CREATE TABLE IF NOT EXISTS acked(id INTEGER PRIMARY KEY, payload BLOB)"));
            for (long id = 1;; id++) {
                long row = id;
                engine.connections().execute(c -> {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO acked VALUES (?, randomblob(512))")) {
                        s.setLong(1, row);
                        s.executeUpdate();
                    }
                });
                System.out.println(row);
                System.out.flush();
            }
        }
    }
}
