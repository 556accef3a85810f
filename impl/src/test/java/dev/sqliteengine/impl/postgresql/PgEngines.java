package dev.sqliteengine.impl.postgresql;

import dev.sqliteengine.api.Engine;
import dev.sqliteengine.api.EngineEvent;
import dev.sqliteengine.api.EngineListener;
import dev.sqliteengine.impl.engine.EngineRegistry;
import dev.sqliteengine.impl.engine.SqliteEngine;
import dev.sqliteengine.impl.engine.SqliteEngineFactory;
import dev.sqliteengine.impl.settings.EngineSettings;
import dev.sqliteengine.postgres.server.PostgresDatabase;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Engines of type=postgresql on the tests' servers, configured as an application would. */
final class PgEngines {

    private PgEngines() {}

    /** @return the configuration of an engine on the database, as its owner, with more properties (key, value, ...) */
    static Map<String, Object> config(PostgresDatabase database, String name, Object... more) {
        Map<String, Object> config = new HashMap<>();
        config.put("name", name);
        config.put("type", "postgresql");
        config.put("url", database.jdbcUrl());
        config.put("user", database.user());
        config.put("password", database.password());
        for (int i = 0; i < more.length; i += 2) {
            config.put((String) more[i], more[i + 1]);
        }
        return config;
    }

    static SqliteEngine open(Map<String, Object> config) {
        return new SqliteEngineFactory(new EngineRegistry()).create(config);
    }

    static SqliteEngine open(PostgresDatabase database, String name, Object... more) {
        return open(config(database, name, more));
    }

    static EngineSettings settings(Map<String, Object> config) {
        return EngineSettings.parse(config, null, null);
    }

    /** A listener that keeps every event, in order. */
    static final class Events implements EngineListener {
        final List<EngineEvent> all = new CopyOnWriteArrayList<>();

        @Override
        public void begun(EngineEvent event) {
            all.add(event);
        }

        @Override
        public void committed(EngineEvent event) {
            all.add(event);
        }

        @Override
        public void rolledBack(EngineEvent event) {
            all.add(event);
        }

        @Override
        public void failed(EngineEvent event) {
            all.add(event);
        }

        @Override
        public void reconfigured(EngineEvent event) {
            all.add(event);
        }

        @Override
        public void rejected(EngineEvent event) {
            all.add(event);
        }

        List<EngineEvent.Type> types() {
            return all.stream().map(EngineEvent::type).toList();
        }
    }

    /** @return the ids in table {@code t}, in order, as a read unit sees them */
    static List<Integer> ids(Engine engine) {
        return engine.connections().read(c -> {
            List<Integer> out = new ArrayList<>();
            try (ResultSet r = c.createStatement().executeQuery("SELECT id FROM t ORDER BY id")) {
                while (r.next()) {
                    out.add(r.getInt(1));
                }
            }
            return out;
        });
    }

    /** For the {@code values} shorthand of the tests: a map from pairs. */
    static Map<String, Object> with(Map<String, Object> config, Object... more) {
        Map<String, Object> out = new HashMap<>(config);
        for (int i = 0; i < more.length; i += 2) {
            out.put((String) more[i], more[i + 1]);
        }
        return out;
    }
}
