package dev.sqliteengine.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The container's configuration folder, {@code HOME/conf}, watched by FileInstall. On the very
 * first start it gets one engine, {@code main}, on {@code HOME/data/main.db}. A marker file
 * remembers that the default was written, so an operator who deletes it (and so the engine) is
 * not overruled at the next start.
 */
final class DefaultConfiguration {

    private static final String FACTORY_PID = "dev.sqliteengine.engine";
    private static final String PREFIX = FACTORY_PID + "-";
    static final String FILE = PREFIX + "main.cfg";
    private static final String MARKER = ".defaults-written";

    private DefaultConfiguration() {}

    static Path ensure(Path home) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        if (!Files.exists(conf.resolve(MARKER))) {
            Files.writeString(conf.resolve(FILE), String.join("\n",
                    "# The default engine, written on the first start of the container.",
                    "# FileInstall applies edits to this file while the container runs;",
                    "# see the configuration reference, docs/configuration.md, for every property.",
                    "path=" + data.resolve("main.db"),
                    "osgi.connection.max=4",
                    ""));
            Files.writeString(conf.resolve(MARKER), "");
        }
        return conf;
    }

    /**
     * @return the PIDs that FileInstall gives the engine configurations of the files in HOME/conf:
     *         {@code dev.sqliteengine.engine-NAME.cfg} is {@code dev.sqliteengine.engine~NAME}
     */
    static Set<String> pids(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(PREFIX) && n.endsWith(".cfg"))
                    .map(n -> FACTORY_PID + "~" + n.substring(PREFIX.length(), n.length() - ".cfg".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
