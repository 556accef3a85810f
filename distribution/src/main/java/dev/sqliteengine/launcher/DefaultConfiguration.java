package dev.sqliteengine.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The container's configuration folder, {@code HOME/conf}, watched by FileInstall. On the very
 * first start it gets one engine, {@code main}, on {@code HOME/data/main.db}. A marker file
 * remembers that the default was written, so an operator who deletes it (and so the engine) is
 * not overruled at the next start.
 */
final class DefaultConfiguration {

    static final String FILE = "dev.sqliteengine.engine-main.cfg";
    private static final String MARKER = ".defaults-written";

    private DefaultConfiguration() {}

    static Path ensure(Path home) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        if (!Files.exists(conf.resolve(MARKER))) {
            Files.writeString(conf.resolve(FILE), String.join("\n",
                    "# The default engine, written on the first start of the container.",
                    "# FileInstall applies edits to this file while the container runs;",
                    "# see the configuration reference in the README for every property.",
                    "path=" + data.resolve("main.db"),
                    "osgi.connection.max=4",
                    ""));
            Files.writeString(conf.resolve(MARKER), "");
        }
        return conf;
    }

    /** @return the number of engine configurations in HOME/conf */
    static int count(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            return (int) files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("dev.sqliteengine.engine-") && n.endsWith(".cfg")).count();
        }
    }
}
