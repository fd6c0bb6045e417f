package org.planetarymesh.bench;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr, redrawn at most every 200 ms. */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private final String label;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;

    Progress(PrintStream err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
    }

    void update(long done) {
        long now = System.nanoTime();
        if (now - lastDrawNanos < 200_000_000L && done < total) {
            return;
        }
        lastDrawNanos = now;
        int filled = (int) Math.min(WIDTH, WIDTH * done / total);
        double seconds = (now - startNanos) / 1e9;
        err.printf(
                Locale.ROOT,
                "\r%-10s [%s%s] %,d/%,d %.1fs",
                label,
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                done,
                total,
                seconds);
        err.flush();
    }

    void finish() {
        err.println();
        err.flush();
    }
}
