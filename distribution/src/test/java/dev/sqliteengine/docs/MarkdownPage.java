package dev.sqliteengine.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Markdown page links to and which anchors its headings make, read the way GitHub renders
 * the page: nothing inside fenced code blocks or code spans is a link or a heading (a {@code #}
 * comment in a shell block is not a heading, {@code a[i](j)} in Java is not a link). Reads ATX
 * headings ({@code ## Title}), inline links and images ({@code [text](target)}, also with the text
 * over several lines) and reference definitions ({@code [name]: target}); the pages of this
 * project use nothing else.
 */
final class MarkdownPage {

    /** A link target as written, and the line it is on (1-based). */
    record Link(int line, String target) {}

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1", Pattern.DOTALL);
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+\"[^\"]*\")?\\s*$", Pattern.MULTILINE);
    /** What GitHub drops from a heading's text to make its anchor: all but letters, marks, digits, connectors (_), blanks and -. */
    private static final Pattern NOT_IN_ANCHORS = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

    private final List<Link> links;
    private final Set<String> anchors;

    private MarkdownPage(List<Link> links, Set<String> anchors) {
        this.links = List.copyOf(links);
        this.anchors = Collections.unmodifiableSet(new LinkedHashSet<>(anchors));
    }

    static MarkdownPage read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static MarkdownPage parse(String markdown) {
        String text = withoutFencedBlocks(markdown);
        String prose = withoutCode(text);
        List<Link> links = new ArrayList<>();
        for (Pattern pattern : List.of(INLINE_LINK, DEFINITION)) {
            Matcher m = pattern.matcher(prose);
            while (m.find()) {
                String target = m.group(m.groupCount() == 2 ? 2 : 1);
                links.add(new Link(lineOf(prose, m.start()), target));
            }
        }
        links.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new MarkdownPage(links, anchors(text));
    }

    /** @return every link target of the page, in the order of their lines */
    List<Link> links() {
        return links;
    }

    /** @return the anchors the page's headings make, in page order; {@code -1}, {@code -2}… for repeated ones */
    Set<String> anchors() {
        return anchors;
    }

    /**
     * @param headingText a heading's text as written, without its leading {@code #}s
     * @return GitHub's anchor for it: the text as rendered (a link shows its text, code its
     *         content), in lower case, without punctuation other than {@code -} and {@code _},
     *         each space a {@code -}
     */
    static String anchor(String headingText) {
        String rendered = INLINE_LINK.matcher(headingText).replaceAll("$1");
        String lower = rendered.strip().toLowerCase(Locale.ROOT);
        return NOT_IN_ANCHORS.matcher(lower).replaceAll("").replace(' ', '-');
    }

    private static Set<String> anchors(String prose) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose.split("\n", -1)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String base = anchor(m.group(1) == null ? "" : m.group(1));
                int repeat = seen.merge(base, 1, Integer::sum) - 1;
                anchors.add(repeat == 0 ? base : base + "-" + repeat);
            }
        }
        return anchors;
    }

    /** @return the text with every line of a fenced code block, fences included, left empty (line numbers stay) */
    private static String withoutFencedBlocks(String markdown) {
        StringBuilder out = new StringBuilder();
        String fence = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher m = FENCE.matcher(line);
            if (fence == null && m.matches()) {
                fence = m.group(1);
                out.append('\n');
            } else if (fence != null) {
                String trimmed = line.strip();
                char mark = fence.charAt(0);
                if (trimmed.startsWith(fence) && trimmed.chars().allMatch(c -> c == mark)) {
                    fence = null;
                }
                out.append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** @return the text with the content of each code span blanked out (newlines kept), so nothing in it is a link */
    private static String withoutCode(String text) {
        Matcher m = CODE_SPAN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String blank = m.group().replaceAll("[^\n]", "x");
            m.appendReplacement(out, Matcher.quoteReplacement(blank));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
