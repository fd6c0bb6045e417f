package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The cut of a chunk at a byte cap counts UTF-8 bytes and never splits a character or a surrogate pair. */
class OutputCapPrefixTest {

    @Test
    void cutsAtWholeCharactersWithinTheBytes() {
        assertThat(OutputCap.prefixWithin("abc", 2)).isEqualTo(2);
        assertThat(OutputCap.prefixWithin("éé", 3)).isEqualTo(1); // 2 bytes each
        assertThat(OutputCap.prefixWithin("€€", 5)).isEqualTo(1); // 3 bytes each
        assertThat(OutputCap.prefixWithin("a😀b", 4)).isEqualTo(1); // the emoji is 4 bytes in 2 chars
        assertThat(OutputCap.prefixWithin("a😀b", 5)).isEqualTo(3);
        assertThat(OutputCap.prefixWithin("abc", 10)).isEqualTo(3);
        assertThat(OutputCap.prefixWithin("abc", 0)).isZero();
    }
}
