package dev.sqliteengine.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bad configuration corpus, read from the resource {@value #RESOURCE}: the one list of
 * configurations that the {@code EngineFactory} unit test (impl) and the Config Admin integration
 * tests (itests) both must see refused. The file's header describes its format.
 * <p>
 * This source file is compiled into both test modules (build-helper {@code add-test-source}), and
 * the resource travels with it (the impl's test resources; {@code -includeresource} in the itests
 * bundle), so neither the data nor the parser exists twice. It uses nothing but the JDK.
 */
public final class BadConfigurations {

    /** The corpus, at the root of the class path (or of the test bundle). */
    public static final String RESOURCE = "/bad-configurations.txt";

    private BadConfigurations() {}

    /**
     * One bad configuration.
     *
     * @param description what is wrong; unique in the corpus
     * @param property the property the {@code ConfigurationException} must name
     * @param detectedOnOpen whether only opening the database can find the problem
     * @param line where the case starts in the corpus
     * @param values the properties as written in the corpus, still to be evaluated
     */
    public record Case(String description, String property, boolean detectedOnOpen, int line,
            Map<String, String> values) {

        /**
         * @param placeholders the values of {@code ${dir}}, {@code ${file}} and {@code ${taken}}
         * @return the case's properties, typed, in corpus order; name and path only when the case sets them
         */
        public Map<String, Object> properties(Map<String, String> placeholders) {
            Map<String, Object> out = new LinkedHashMap<>();
            values.forEach((key, text) -> out.put(key, new ValueParser(text, placeholders, line).parse()));
            return out;
        }

        /** @return whether the case sets this property itself */
        public boolean sets(String key) {
            return values.containsKey(key);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** @return every case of the corpus, in file order */
    public static List<Case> all() {
        try (InputStream in = BadConfigurations.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path of " + BadConfigurations.class);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the cases of a corpus text; every value is checked to parse */
    static List<Case> parse(String text) {
        List<Case> cases = new ArrayList<>();
        Set<String> descriptions = new HashSet<>();
        Block block = null;
        int number = 0;
        try (BufferedReader lines = new BufferedReader(new java.io.StringReader(text))) {
            for (String line = lines.readLine(); ; line = lines.readLine()) {
                number++;
                if (line == null || line.isBlank()) {
                    if (block != null) {
                        Case done = block.toCase();
                        if (!descriptions.add(done.description())) {
                            throw corrupt(block.line, "a second case named '" + done.description() + "'");
                        }
                        done.properties(Map.of("dir", "/d", "file", "/d/f", "taken", "t")); // fail early on a typo
                        cases.add(done);
                        block = null;
                    }
                    if (line == null) {
                        break;
                    }
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("case ")) {
                    if (block != null) {
                        throw corrupt(number, "a new case before a blank line");
                    }
                    block = new Block(line.substring(5).trim(), number);
                } else if (block == null) {
                    throw corrupt(number, "a line outside a case: " + line);
                } else if (line.startsWith("expect ")) {
                    block.property = line.substring(7).trim();
                } else if (line.trim().equals("open")) {
                    block.open = true;
                } else {
                    int equals = line.indexOf('=');
                    if (equals <= 0) {
                        throw corrupt(number, "KEY = VALUE expected: " + line);
                    }
                    String key = line.substring(0, equals).trim();
                    if (block.values.put(key, line.substring(equals + 1).trim()) != null) {
                        throw corrupt(number, key + " twice");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableList(cases);
    }

    private static IllegalArgumentException corrupt(int line, String what) {
        return new IllegalArgumentException(RESOURCE + " line " + line + ": " + what);
    }

    private static final class Block {
        final String description;
        final int line;
        final Map<String, String> values = new LinkedHashMap<>();
        String property;
        boolean open;

        Block(String description, int line) {
            this.description = description;
            this.line = line;
        }

        Case toCase() {
            if (property == null || values.isEmpty()) {
                throw corrupt(line, "case '" + description + "' needs an expect line and at least one property");
            }
            return new Case(description, property, open, line, Collections.unmodifiableMap(values));
        }
    }

    /** A recursive descent over one value; the grammar is in the corpus file's header. */
    private static final class ValueParser {
        private final String text;
        private final Map<String, String> placeholders;
        private final int line;
        private int at;

        ValueParser(String text, Map<String, String> placeholders, int line) {
            this.text = text;
            this.placeholders = placeholders;
            this.line = line;
        }

        Object parse() {
            Object value = expression();
            skipSpaces();
            if (at != text.length()) {
                throw fail("unexpected text");
            }
            return value;
        }

        private Object expression() {
            Object value = term();
            skipSpaces();
            while (peek('+')) {
                at++;
                Object next = term();
                if (!(value instanceof String left) || !(next instanceof String right)) {
                    throw fail("+ joins text only");
                }
                value = left + right;
                skipSpaces();
            }
            return value;
        }

        private Object term() {
            skipSpaces();
            if (peek('"')) {
                String s = string();
                skipSpaces();
                if (peek('*')) {
                    at++;
                    skipSpaces();
                    int start = at;
                    while (at < text.length() && Character.isDigit(text.charAt(at))) {
                        at++;
                    }
                    s = s.repeat(Integer.parseInt(text.substring(start, at)));
                }
                return s;
            }
            if (peek('\'')) {
                if (at + 2 >= text.length() || text.charAt(at + 2) != '\'') {
                    throw fail("a character is one letter in single quotes");
                }
                char c = text.charAt(at + 1);
                at += 3;
                return c;
            }
            if (peek('[')) {
                List<Object> items = items('[', ']');
                if (items.isEmpty()) {
                    return new String[0];
                }
                Object array = Array.newInstance(items.get(0).getClass(), items.size());
                for (int i = 0; i < items.size(); i++) {
                    Array.set(array, i, items.get(i));
                }
                return array;
            }
            if (text.startsWith("list(", at)) {
                at += 4;
                return new ArrayList<>(items('(', ')'));
            }
            int start = at;
            while (at < text.length() && ",])+ ".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            return literal(text.substring(start, at));
        }

        private List<Object> items(char open, char close) {
            at++; // open
            List<Object> items = new ArrayList<>();
            skipSpaces();
            if (peek(close)) {
                at++;
                return items;
            }
            while (true) {
                items.add(expression());
                skipSpaces();
                if (peek(close)) {
                    at++;
                    return items;
                }
                if (!peek(',')) {
                    throw fail("',' or '" + close + "' expected");
                }
                at++;
            }
        }

        private Object literal(String word) {
            try {
                if (word.equals("true") || word.equals("false")) {
                    return Boolean.valueOf(word);
                }
                if (word.endsWith("L")) {
                    return Long.valueOf(word.substring(0, word.length() - 1));
                }
                if (word.endsWith("f")) {
                    return Float.valueOf(word.substring(0, word.length() - 1));
                }
                if (word.contains(".") || word.contains("e")) {
                    return Double.valueOf(word);
                }
                return Integer.valueOf(word);
            } catch (NumberFormatException e) {
                throw fail("not a value: '" + word + "'");
            }
        }

        private String string() {
            at++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw fail("unterminated text");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '$' && peek('{')) {
                    int end = text.indexOf('}', at);
                    String name = text.substring(at + 1, end);
                    String value = placeholders.get(name);
                    if (value == null) {
                        throw fail("unknown placeholder ${" + name + "}");
                    }
                    out.append(value);
                    at = end + 1;
                } else if (c == '\\') {
                    char e = text.charAt(at++);
                    switch (e) {
                        case '0' -> out.append('\0');
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case '"' -> out.append('"');
                        case '\\' -> out.append('\\');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> throw fail("unknown escape \\" + e);
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private void skipSpaces() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
        }

        private IllegalArgumentException fail(String what) {
            return corrupt(line, what + " at column " + (at + 1) + " of value " + text);
        }
    }
}
