package org.planetarymesh.testkit.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in Prometheus's text exposition format, read into samples: enough for tests to look figures up by name and
 * labels. It does not validate the format; {@link Promtool} does that.
 */
public final class PrometheusText {

    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample line: its metric name, labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /** Reads every sample line of {@code text} (comments and blank lines are skipped). */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher label = LABEL.matcher(m.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new PrometheusText(samples);
    }

    /** Every sample named {@code name} whose labels include all of {@code labels}. */
    public List<Sample> samples(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /**
     * The value of the one sample named {@code name} with exactly {@code labels} (beside any others, none may match
     * twice); fails naming what it found otherwise.
     */
    public double value(String name, Map<String, String> labels) {
        List<Sample> found = samples(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + labels + ", found " + found);
        }
        return found.getFirst().value();
    }

    /** The sum over every sample named {@code name} whose labels include {@code labels} (0 when there is none). */
    public double sum(String name, Map<String, String> labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }
}
