package dev.sqliteengine.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes a {@code .cfg} file that mixes FileInstall's two syntaxes typed throughout, before
 * FileInstall reads it.
 * <p>
 * FileInstall 3.7.4 reads a file in its typed syntax ({@code key = I"8"}, {@code key = "text"})
 * only when every value in it is typed; one plain {@code key=value} line makes it read every
 * value as plain text, quotes and type letters included. A file that {@code engine:set} wrote
 * back is typed throughout, so a single line added to it by hand in the plain syntax would break
 * every value of its engine. In a file with both kinds of line, this writes each plain line as a
 * typed string: a plain value is a string to FileInstall anyway, so every line keeps the meaning
 * it had in a file of its own syntax.
 * <p>
 * It leaves alone, and names, what it cannot convert exactly: a value with a backslash, a
 * double quote, a {@code $} (FileInstall substitutes {@code ${...}}), a character outside
 * printable ASCII or trailing blanks, a key other than {@code [A-Za-z0-9._-]+}, and a file with
 * continued lines. Files are read and written as ISO-8859-1, FileInstall's default.
 */
final class MixedCfgFiles {

    /** A typed value, as FileInstall's properties reader (felix-utils 1.11.2) recognises one. */
    private static final Pattern TYPED = Pattern.compile("\\s*[TILFDXSCBilfdxscb]?(\\[[\\S\\s]*\\]|\\{[\\S\\s]*\\}|\"[\\S\\s]*\")\\s*");
    /** A property line: the key, a separator (=, : or blanks), the value. */
    private static final Pattern PROPERTY = Pattern.compile("\\s*([^=:\\s]+)(?:\\s*[=:]\\s*|\\s+)(.*)");
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern SAFE_VALUE = Pattern.compile("([\\x20-\\x7E&&[^\"\\\\$]]*[\\x21-\\x7E&&[^\"\\\\$]])?");

    private MixedCfgFiles() {}

    /**
     * Repairs the mixed {@code .cfg} files in {@code conf}.
     *
     * @return one line for each file changed and each line left as it was, for the operator
     */
    static List<String> repair(Path conf) throws IOException {
        List<String> report = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(conf)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".cfg") && Files.isRegularFile(f)).sorted()
                    .toList();
        }
        for (Path file : files) {
            repair(file, report);
        }
        return report;
    }

    private static void repair(Path file, List<String> report) throws IOException {
        String name = "conf/" + file.getFileName();
        String content = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(content.lines().toList());
        List<Integer> plain = new ArrayList<>();
        boolean typed = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                continue;
            }
            if (endsContinued(line)) {
                if (mixed(lines)) {
                    report.add(name + " mixes FileInstall's typed syntax with plain key=value lines and has continued"
                            + " lines, so it was left as it is: FileInstall reads all of it as plain text");
                }
                return;
            }
            Matcher property = PROPERTY.matcher(line);
            if (property.matches() && TYPED.matcher(property.group(2)).matches()) {
                typed = true;
            } else {
                plain.add(i);
            }
        }
        if (!typed || plain.isEmpty()) {
            return;
        }
        List<String> converted = new ArrayList<>();
        for (int i : plain) {
            Matcher property = PROPERTY.matcher(lines.get(i));
            if (property.matches() && SAFE_KEY.matcher(property.group(1)).matches()
                    && SAFE_VALUE.matcher(property.group(2)).matches()) {
                lines.set(i, property.group(1) + " = \"" + property.group(2) + "\"");
                converted.add(property.group(1));
            } else {
                report.add(name + " line " + (i + 1) + " (" + lines.get(i).strip() + ") is plain key=value among typed"
                        + " lines and was left as it is: write it as key = \"value\", or FileInstall reads every value"
                        + " of the file as plain text");
            }
        }
        if (converted.isEmpty()) {
            return;
        }
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        report.add(name + " mixed FileInstall's typed syntax (key = I\"8\") with plain key=value lines, which makes"
                + " FileInstall read every value as plain text; these lines are now typed strings: "
                + String.join(", ", converted));
    }

    private static boolean mixed(List<String> lines) {
        boolean typed = false;
        boolean plain = false;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                continue;
            }
            Matcher property = PROPERTY.matcher(line);
            if (property.matches() && TYPED.matcher(property.group(2)).matches()) {
                typed = true;
            } else {
                plain = true;
            }
        }
        return typed && plain;
    }

    /** @return whether the line ends in an odd number of backslashes, which continues it on the next */
    private static boolean endsContinued(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
