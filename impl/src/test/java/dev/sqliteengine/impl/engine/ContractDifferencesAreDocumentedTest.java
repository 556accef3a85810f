package dev.sqliteengine.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract suite's named differences are documented, and the documentation names exactly the
 * tests that show them: docs/postgresql.md explains each {@link Difference} under "What differs
 * from SQLite, and why" (a paragraph that begins with its title in bold), and the table of its
 * section "The contract suite" lists, in the row of each difference, every test that names it
 * with {@link Differs} and no other; that section names every class of the suite.
 */
class ContractDifferencesAreDocumentedTest {

    /** Surefire runs in the module's folder. */
    private static final Path DOC = Path.of("..", "docs", "postgresql.md");
    private static final Path COMPILED_TESTS = Path.of("target", "test-classes", "dev", "sqliteengine", "impl", "engine");
    private static final Pattern TEST_NAME = Pattern.compile("`(\\w+\\.\\w+)`");

    @Test
    void everyDifferenceIsExplainedUnderWhatDiffersFromSqlite() throws IOException {
        String explained = section("## What differs from SQLite, and why");
        for (Difference difference : Difference.values()) {
            assertThat(explained).as(difference.name()).contains("**" + difference.title() + "**");
        }
    }

    @Test
    void theContractSuiteListsExactlyTheTestsThatShowEachDifference() throws IOException {
        String suite = section("## The contract suite");
        Map<Difference, Set<String>> shownBy = testsNamingEachDifference();
        for (Difference difference : Difference.values()) {
            String row = suite.lines().filter(line -> line.startsWith("| " + rowTitle(difference) + " |")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + difference.title() + " in " + DOC));
            Set<String> listed = new TreeSet<>();
            Matcher names = TEST_NAME.matcher(row);
            while (names.find()) {
                listed.add(names.group(1));
            }
            assertThat(listed).as("the tests listed for %s", difference).isEqualTo(shownBy.get(difference));
        }
    }

    @Test
    void theContractSuiteNamesEveryClassOfTheSuite() throws IOException {
        String suite = section("## The contract suite");
        for (Class<?> contract : contractClasses()) {
            assertThat(suite).contains("`" + contract.getSimpleName() + "`");
        }
    }

    /** @return the title as the table shows it: without the closing full stop */
    private static String rowTitle(Difference difference) {
        String title = difference.title();
        return title.endsWith(".") ? title.substring(0, title.length() - 1) : title;
    }

    private static String section(String heading) throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("\n" + heading + "\n");
        assertThat(start).as("%s in %s", heading, DOC).isNotNegative();
        int end = doc.indexOf("\n## ", start + heading.length());
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    /** @return {@code TopLevelClass.method} of every test that names each difference */
    private static Map<Difference, Set<String>> testsNamingEachDifference() throws IOException {
        Map<Difference, Set<String>> shownBy = new EnumMap<>(Difference.class);
        for (Difference difference : Difference.values()) {
            shownBy.put(difference, new TreeSet<>());
        }
        for (Class<?> contract : contractClasses()) {
            for (Class<?> type : withNested(contract)) {
                for (Method method : type.getDeclaredMethods()) {
                    Differs differs = method.getAnnotation(Differs.class);
                    if (differs != null) {
                        for (Difference difference : differs.value()) {
                            shownBy.get(difference).add(contract.getSimpleName() + "." + method.getName());
                        }
                    }
                }
            }
        }
        return shownBy;
    }

    private static List<Class<?>> withNested(Class<?> type) {
        List<Class<?>> all = new ArrayList<>(List.of(type));
        for (Class<?> nested : type.getDeclaredClasses()) {
            all.addAll(withNested(nested));
        }
        return all;
    }

    /** @return the top-level classes of this package marked {@link OnEveryDatabaseType} */
    private static List<Class<?>> contractClasses() throws IOException {
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(COMPILED_TESTS)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> type = load(ContractDifferencesAreDocumentedTest.class.getPackageName() + "."
                            + name.substring(0, name.length() - ".class".length()));
                    if (type.isAnnotationPresent(OnEveryDatabaseType.class)) {
                        found.add(type);
                    }
                }
            }
        }
        assertThat(found).as("contract classes in %s", COMPILED_TESTS).isNotEmpty();
        return found;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ContractDifferencesAreDocumentedTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
