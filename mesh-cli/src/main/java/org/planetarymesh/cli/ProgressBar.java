package org.planetarymesh.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place with a carriage return, for jobs that report progress. It draws only on
 * an interactive terminal: in a pipe or a CI log, hundreds of redraws would be noise, so it stays silent there.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;
    private static final int MAX_LABEL = 40;

    private final PrintWriter err;
    private final boolean interactive;
    private boolean drawn;

    public ProgressBar(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    /** The bar for {@code fraction} (clamped to 0..1) and an optional label, e.g. {@code [######    ]  60% step 3}. */
    public static String render(double fraction, String label) {
        double clamped = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.round(clamped * WIDTH);
        String text = "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", Math.round(clamped * 100));
        if (label != null && !label.isBlank()) {
            String oneLine = label.strip().replaceAll("\\s+", " ");
            text += " " + (oneLine.length() > MAX_LABEL ? oneLine.substring(0, MAX_LABEL - 1) + "…" : oneLine);
        }
        return text;
    }

    /** Redraws the bar. */
    public void update(double fraction, String label) {
        if (!interactive) {
            return;
        }
        // Pad to clear the tail of a longer previous label.
        err.print("\r" + String.format(Locale.ROOT, "%-" + (WIDTH + 8 + MAX_LABEL) + "s", render(fraction, label)));
        err.flush();
        drawn = true;
    }

    /** Erases the bar so the next output starts on a clean line. */
    public void clear() {
        if (drawn) {
            err.print("\r" + " ".repeat(WIDTH + 8 + MAX_LABEL) + "\r");
            err.flush();
            drawn = false;
        }
    }
}
