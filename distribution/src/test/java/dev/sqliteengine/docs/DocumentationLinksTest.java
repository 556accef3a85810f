package dev.sqliteengine.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's Markdown pages, as a newcomer on GitHub follows them: the README is short, it
 * links every page of {@code docs/}, and every relative link of every page leads to a file, and
 * to a heading, that exist. The repository root comes from the build ({@code repository.root},
 * set in this module's pom), so the test reads the very files of the checkout it runs in.
 */
class DocumentationLinksTest {

    /** What "a README a newcomer reads in five minutes" means here. */
    private static final int README_MAX_LINES = 200;

    private static Path root() {
        String root = System.getProperty("repository.root");
        assertThat(root).as("system property repository.root (set by the distribution module's pom)").isNotNull();
        return Path.of(root).toAbsolutePath().normalize();
    }

    private static List<Path> docsPages() throws IOException {
        try (Stream<Path> pages = Files.list(root().resolve("docs"))) {
            return pages.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
    }

    @Test
    void every_relative_link_leads_to_a_file_and_a_heading_that_exist() throws IOException {
        List<Path> pages = RelativeLinks.markdownFiles(root());
        assertThat(pages).as("the pages checked").contains(root().resolve("README.md"),
                root().resolve("BENCHMARKS.md"), root().resolve("examples/README.md")).containsAll(docsPages());

        RelativeLinks.Report report = RelativeLinks.check(root(), pages);

        assertThat(report.broken()).as("broken links").isEmpty();
        assertThat(report.checked()).as("relative links followed").isGreaterThanOrEqualTo(docsPages().size());
    }

    @Test
    void the_readme_is_under_200_lines() throws IOException {
        assertThat(Files.readAllLines(root().resolve("README.md"))).hasSizeLessThan(README_MAX_LINES);
    }

    @Test
    void the_readme_links_every_page_of_docs() throws IOException {
        List<String> linked = MarkdownPage.read(root().resolve("README.md")).links().stream()
                .map(MarkdownPage.Link::target).toList();

        assertThat(docsPages()).as("pages in docs/").isNotEmpty();
        for (Path page : docsPages()) {
            assertThat(linked).as("README.md links %s", root().relativize(page)).contains("docs/" + page.getFileName());
        }
    }

    /** The checker itself: it must fail on what GitHub would show broken, and only on that. */
    @Nested
    class TheChecker {

        @TempDir
        Path repository;

        private Path write(String path, String text) throws IOException {
            Path file = repository.resolve(path);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        }

        @Test
        void reports_a_missing_file_a_missing_heading_and_a_link_out_of_the_repository() throws IOException {
            write("docs/guide.md", "# Guide\n\n## Setting it up\n");
            write("README.md", """
                    # Project

                    See [the guide](docs/guide.md), [setup](docs/guide.md#setting-it-up) and
                    [a page that is gone](docs/gone.md), [a heading that is
                    gone](docs/guide.md#tuning), [here](#project), [nowhere](#nowhere) and [up](../x.md).
                    """);

            RelativeLinks.Report report = RelativeLinks.check(repository, List.of(repository.resolve("README.md")));

            assertThat(report.checked()).isEqualTo(7);
            assertThat(report.broken()).containsExactly(
                    "README.md:4: (docs/gone.md) no such file: docs/gone.md",
                    "README.md:4: (docs/guide.md#tuning) no heading makes the anchor #tuning in docs/guide.md;"
                            + " its anchors: [guide, setting-it-up]",
                    "README.md:5: (#nowhere) no heading makes the anchor #nowhere in README.md; its anchors: [project]",
                    "README.md:5: (../x.md) leads out of the repository");
        }

        @Test
        void follows_no_link_with_a_scheme() throws IOException {
            write("README.md", "[site](https://example.org/x.md) [mail](mailto:a@example.org)\n");

            RelativeLinks.Report report = RelativeLinks.check(repository, List.of(repository.resolve("README.md")));

            assertThat(report.checked()).isZero();
            assertThat(report.broken()).isEmpty();
        }

        @Test
        void skips_build_output_and_hidden_folders() throws IOException {
            write("README.md", "");
            write("docs/a.md", "");
            write("impl/target/classes/b.md", "");
            write(".git/c.md", "");

            assertThat(RelativeLinks.markdownFiles(repository))
                    .containsExactly(repository.resolve("README.md"), repository.resolve("docs/a.md"));
        }
    }

    /** GitHub's anchors: lower case, spaces to {@code -}, punctuation other than {@code -} and {@code _} dropped. */
    @Nested
    class Anchors {

        @Test
        void follow_githubs_rules() {
            assertThat(MarkdownPage.anchor("Reliability: what is tested, and the figures"))
                    .isEqualTo("reliability-what-is-tested-and-the-figures");
            assertThat(MarkdownPage.anchor("Scripts and CI: `--run`")).isEqualTo("scripts-and-ci---run");
            assertThat(MarkdownPage.anchor("The provider service (the `tx-control` bundle)"))
                    .isEqualTo("the-provider-service-the-tx-control-bundle");
            assertThat(MarkdownPage.anchor("Maintenance, backup and restore")).isEqualTo("maintenance-backup-and-restore");
            assertThat(MarkdownPage.anchor("snake_case and [a link](x.md)")).isEqualTo("snake_case-and-a-link");
            assertThat(MarkdownPage.anchor("Größe für 2 €")).isEqualTo("größe-für-2-");
        }

        @Test
        void of_a_repeated_heading_are_numbered() {
            assertThat(MarkdownPage.parse("# A\n## Tested\n## Tested\n### Tested ###\n").anchors())
                    .containsExactlyInAnyOrder("a", "tested", "tested-1", "tested-2");
        }

        @Test
        void are_made_by_no_line_of_code() {
            MarkdownPage page = MarkdownPage.parse("""
                    # Karaf

                    ```sh
                    # enable the user
                    k() { printf '%s\\n' "$@"; }   # [not](a-link.md)
                    ```

                      ```
                      ## inside an indented fence
                      ```

                        # four spaces: code, not a heading

                    `[in](code.md)` and [real](real.md)
                    """);

            assertThat(page.anchors()).containsExactly("karaf");
            assertThat(page.links()).containsExactly(new MarkdownPage.Link(14, "real.md"));
        }
    }
}
