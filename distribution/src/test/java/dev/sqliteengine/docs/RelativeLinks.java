package dev.sqliteengine.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Follows the relative links of Markdown pages inside one folder tree (the repository): each must
 * lead to a file or folder that exists there, and a link with {@code #anchor} to a Markdown page
 * with a heading that makes that anchor. Links with a scheme ({@code https:}, {@code mailto:}) are
 * not followed: nothing here may depend on the network.
 */
final class RelativeLinks {

    /**
     * @param checked how many relative links were followed
     * @param broken one line per broken link: page, line, target and what is wrong
     */
    record Report(int checked, List<String> broken) {}

    private static final Pattern EXTERNAL = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|//).*");

    private final Path root;
    private final Map<Path, MarkdownPage> pages = new HashMap<>();

    private RelativeLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * @param root the folder the links must stay in
     * @param files the Markdown pages whose links to follow, below {@code root}
     * @return what was followed and what is broken
     */
    static Report check(Path root, List<Path> files) throws IOException {
        RelativeLinks links = new RelativeLinks(root);
        int checked = 0;
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            Path page = links.root.resolve(file).normalize();
            for (MarkdownPage.Link link : links.page(page).links()) {
                if (EXTERNAL.matcher(link.target()).matches()) {
                    continue;
                }
                checked++;
                String problem = links.problem(page, link.target());
                if (problem != null) {
                    broken.add(links.root.relativize(page) + ":" + link.line() + ": (" + link.target() + ") " + problem);
                }
            }
        }
        return new Report(checked, broken);
    }

    /** @return the Markdown files below {@code root}, leaving out build output ({@code target}) and hidden folders */
    static List<Path> markdownFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p))
                    .filter(p -> !inSkippedFolder(root.relativize(p)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean inSkippedFolder(Path file) {
        for (int i = 0; i < file.getNameCount() - 1; i++) {
            String folder = file.getName(i).toString();
            if (folder.equals("target") || folder.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** @return what is wrong with a link from {@code page}, or null when it leads somewhere that exists */
    private String problem(Path page, String target) throws IOException {
        if (target.isEmpty()) {
            return "an empty link";
        }
        int hash = target.indexOf('#');
        String path = decode(hash < 0 ? target : target.substring(0, hash));
        Path file = path.isEmpty() ? page
                : (path.startsWith("/") ? root.resolve(path.substring(1)) : page.getParent().resolve(path)).normalize();
        if (!file.startsWith(root)) {
            return "leads out of the repository";
        }
        if (!Files.exists(file)) {
            return "no such file: " + root.relativize(file);
        }
        if (hash < 0) {
            return null;
        }
        String anchor = decode(target.substring(hash + 1));
        if (Files.isDirectory(file) || !file.getFileName().toString().endsWith(".md")) {
            return "an anchor into " + root.relativize(file) + ", which is not a Markdown page";
        }
        if (!page(file).anchors().contains(anchor)) {
            return "no heading makes the anchor #" + anchor + " in " + root.relativize(file) + "; its anchors: "
                    + page(file).anchors();
        }
        return null;
    }

    private MarkdownPage page(Path file) throws IOException {
        try {
            return pages.computeIfAbsent(file, f -> {
                try {
                    return MarkdownPage.read(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** @return a link's path or anchor with its %-escapes decoded ({@code +} stays a plus, as in a URL path) */
    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
