package org.planetarymesh.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints figures as machine-readable {@code RESULT name=value unit} lines on stdout. */
final class Results {

    private final PrintStream out;

    Results(PrintStream out) {
        this.out = out;
    }

    void result(String name, double value, String unit) {
        String shown = value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.3f", value);
        out.println("RESULT " + name + "=" + shown + " " + unit);
        out.flush();
    }

    void note(String line) {
        out.println(line);
        out.flush();
    }
}
