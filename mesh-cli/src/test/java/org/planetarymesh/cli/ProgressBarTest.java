package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersTheFractionAsFilledCellsAndAPercentage() {
        assertThat(ProgressBar.render(0.5, "step 3"))
                .isEqualTo("[" + "#".repeat(15) + " ".repeat(15) + "]  50% step 3");
        assertThat(ProgressBar.render(1.7, null)).isEqualTo("[" + "#".repeat(30) + "] 100%");
        assertThat(ProgressBar.render(Double.NaN, "")).isEqualTo("[" + " ".repeat(30) + "]   0%");
    }

    @Test
    void staysSilentWhenNotOnATerminal() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), false);
        bar.update(0.3, "x");
        bar.clear();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void redrawsInPlaceAndErasesItselfOnATerminal() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err), true);
        bar.update(0.3, "x");
        bar.clear();
        assertThat(err.toString()).startsWith("\r[#########").contains(" 30% x").endsWith("\r");
    }
}
