package dev.sqliteengine.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format (version 0.0.4): every line is a
 * {@code # HELP}, a {@code # TYPE} or a sample; every sample belongs to a family whose TYPE came
 * before it (its name, or the name with a suffix that type allows); label values are unescaped;
 * values are numbers, {@code NaN} or {@code ±Inf}. What does not parse throws, naming the line.
 */
final class PrometheusText {

    /** One sample line. */
    record Sample(String family, String type, String name, Map<String, String> labels, double value) {}

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Map<String, List<String>> SUFFIXES = Map.of("counter", List.of("_total", "_created", ""),
            "gauge", List.of(""), "summary", List.of("", "_count", "_sum", "_created"),
            "histogram", List.of("_bucket", "_count", "_sum", "_created"), "untyped", List.of(""));

    private PrometheusText() {}

    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (types.put(type.group(1), type.group(2)) != null) {
                    throw new IllegalArgumentException("line " + n + ": a second TYPE for " + type.group(1));
                }
                continue;
            }
            if (HELP.matcher(line).matches()) {
                continue;
            }
            if (line.startsWith("#")) {
                throw new IllegalArgumentException("line " + n + ": a comment that is neither HELP nor TYPE: " + line);
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("line " + n + ": no sample: " + line);
            }
            String name = sample.group(1);
            int at = n;
            String family = family(name, types)
                    .orElseThrow(() -> new IllegalArgumentException("line " + at + ": " + name + " belongs to no TYPE declared before it"));
            samples.add(new Sample(family, types.get(family), name, labels(sample.group(2), n), value(sample.group(3), n)));
        }
        return samples;
    }

    private static java.util.Optional<String> family(String name, Map<String, String> types) {
        return types.entrySet().stream().filter(t -> SUFFIXES.get(t.getValue()).stream()
                .anyMatch(suffix -> name.equals(t.getKey() + suffix))).map(Map.Entry::getKey).findFirst();
    }

    private static Map<String, String> labels(String text, int n) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!label.find(at) || label.start() != at) {
                throw new IllegalArgumentException("line " + n + ": labels do not parse at " + at + ": " + text);
            }
            labels.put(label.group(1), label.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
            at = label.end();
        }
        return labels;
    }

    private static double value(String text, int n) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + n + ": no number: " + text);
                }
            }
        };
    }
}
