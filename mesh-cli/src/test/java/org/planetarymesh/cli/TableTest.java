package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsColumnsToTheWidestCellWithoutTrailingBlanks() {
        String text = new Table("ID", "STATUS", "NODE")
                .row("a", "COMPLETED", "n1")
                .row("bbbb", "QUEUED", null)
                .render();

        assertThat(text).isEqualTo("""
                ID    STATUS     NODE
                a     COMPLETED  n1
                bbbb  QUEUED     -
                """);
    }

    @Test
    void refusesARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 2 cells, got 1");
    }
}
