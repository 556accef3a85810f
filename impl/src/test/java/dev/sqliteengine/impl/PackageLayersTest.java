package dev.sqliteengine.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the impl module's packages, as {@code dev/sqliteengine/impl/package-info.java}
 * lists it, holds in the sources: no package uses one listed after it, the engine core never names
 * the SQLite or the PostgreSQL package, only the SQLite package (and {@code osgi}, for the native
 * library) imports sqlite-jdbc, and only the PostgreSQL package imports pgjdbc.
 */
class PackageLayersTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/sqliteengine/impl");
    private static final Pattern LAYER = Pattern.compile("<li>\\{@code (\\w+)\\}");
    /** A class, a star import or a class name in a string (reflection) of another package. */
    private static final Pattern REFERENCE = Pattern.compile("dev\\.sqliteengine\\.impl\\.(\\w+)\\.(?:\\*|[A-Z]\\w*)");
    private static List<String> layers;

    @BeforeAll
    static void readTheLayers() throws IOException {
        layers = new ArrayList<>();
        Matcher m = LAYER.matcher(Files.readString(SOURCES.resolve("package-info.java")));
        while (m.find()) {
            layers.add(m.group(1));
        }
    }

    @Test
    void everyPackageIsListedOnceAndHasItsOwnPackageInfo() throws IOException {
        List<String> packages;
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            packages = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(layers).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(packages);
        for (String p : packages) {
            assertThat(SOURCES.resolve(p).resolve("package-info.java")).as("package-info of " + p).isRegularFile();
        }
    }

    @Test
    void noDependencyRunsBackUp() throws IOException {
        List<String> upward = new ArrayList<>();
        forEachSource((pkg, file, code) -> {
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                String used = m.group(1);
                if (layers.contains(used) && layers.indexOf(used) > layers.indexOf(pkg)) {
                    upward.add(pkg + "/" + file.getFileName() + " uses " + m.group());
                }
            }
        });
        assertThat(upward).as("references to a package listed later").isEmpty();
    }

    @Test
    void theCoreReachesSqliteOnlyThroughTheSeam() throws IOException {
        int sqlite = layers.indexOf("sqlite");
        int engine = layers.indexOf("engine");
        List<String> leaks = new ArrayList<>();
        forEachSource((pkg, file, code) -> {
            int at = layers.indexOf(pkg);
            if (at < engine && at != sqlite && code.contains("dev.sqliteengine.impl.sqlite.")) {
                leaks.add(pkg + "/" + file.getFileName() + " names the sqlite package");
            }
            if (!pkg.equals("sqlite") && !pkg.equals("osgi") && Pattern.compile("\\borg\\.sqlite\\.").matcher(code).find()) {
                leaks.add(pkg + "/" + file.getFileName() + " uses sqlite-jdbc");
            }
        });
        assertThat(leaks).isEmpty();
        assertThat(sqlite).as("sqlite sits below the core it serves").isLessThan(layers.indexOf("pool"));
    }

    @Test
    void theCoreReachesPostgresqlOnlyThroughTheSeam() throws IOException {
        int postgresql = layers.indexOf("postgresql");
        int engine = layers.indexOf("engine");
        List<String> leaks = new ArrayList<>();
        forEachSource((pkg, file, code) -> {
            int at = layers.indexOf(pkg);
            if (at < engine && at != postgresql && code.contains("dev.sqliteengine.impl.postgresql.")) {
                leaks.add(pkg + "/" + file.getFileName() + " names the postgresql package");
            }
            if (pkg.equals("postgresql") && code.contains("dev.sqliteengine.impl.sqlite.")) {
                leaks.add(pkg + "/" + file.getFileName() + " names the sqlite package");
            }
            if (!pkg.equals("postgresql") && Pattern.compile("\\borg\\.postgresql\\.").matcher(code).find()) {
                leaks.add(pkg + "/" + file.getFileName() + " uses pgjdbc");
            }
        });
        assertThat(leaks).isEmpty();
        assertThat(postgresql).as("postgresql sits below the core it serves").isLessThan(layers.indexOf("jdbc"));
    }

    private interface SourceVisitor {
        void visit(String pkg, Path file, String code) throws IOException;
    }

    /** Visits each source file's code with its comments taken out (string literals stay: a class named in one counts). */
    private static void forEachSource(SourceVisitor visitor) throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(SOURCES)) {
            files = all.filter(p -> p.toString().endsWith(".java") && !p.getParent().equals(SOURCES)).toList();
        }
        assertThat(files).hasSizeGreaterThan(50);
        for (Path file : files) {
            String pkg = SOURCES.relativize(file).getName(0).toString();
            visitor.visit(pkg, file, code(Files.readString(file)));
        }
    }

    private static String code(String source) {
        String noBlockComments = source.replaceAll("(?s)/\\*.*?\\*/", "");
        return noBlockComments.replaceAll("(?m)^\\s*//[^\\n]*|\\s//[^\"\\n]*$", "");
    }
}
