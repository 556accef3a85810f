package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineException;
import dev.sqliteengine.impl.settings.EngineSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.Map;

/**
 * The engine side of {@link ReadOnlyFolderTest}, run as an unprivileged user: reads commands
 * ({@code write}, {@code count}) from standard input and answers each with one line.
 */
public final class FolderWriter {

    private FolderWriter() {}

    public static void main(String[] args) throws Exception {
        try (Engine engine = SqliteEngine.open(EngineSettings.parse(Map.of("path", args[0], "pragma.journal_mode", args[1],
                "write.retries", 0), "folder", null), new EngineRegistry());
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            engine.connections().execute(c -> c.createStatement().execute("CREATE TABLE IF NOT EXISTS t(v)"));
            System.out.println("ready");
            for (String line; (line = in.readLine()) != null;) {
                try {
                    if (line.equals("write")) {
                        engine.connections().execute(c -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
                        System.out.println("ok");
                    } else if (line.equals("count")) {
                        System.out.println("count " + engine.connections().read(c -> {
                            try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                                r.next();
                                return r.getInt(1);
                            }
                        }));
                    }
                } catch (EngineException e) {
                    System.out.println("error " + e.getClass().getSimpleName() + " " + e.getMessage().replace('\n', ' '));
                }
                System.out.flush();
            }
        }
    }
}
