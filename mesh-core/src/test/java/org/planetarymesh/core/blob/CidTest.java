package org.planetarymesh.core.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CidTest {

    @Test
    void matchesTheReferenceVectors() {
        assertThat(Cid.of(new byte[0]).text()).isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertThat(Cid.of("hello world".getBytes(StandardCharsets.UTF_8)).text())
                .isEqualTo("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
    }

    @Test
    void parsesWhatItWritesAndRefusesOthers() {
        Cid cid = Cid.of("x".getBytes(StandardCharsets.UTF_8));
        assertThat(Cid.parse(cid.text())).isEqualTo(cid);
        assertThat(cid.matches("x".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(cid.matches("y".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThatThrownBy(() -> Cid.parse("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cid.parse(cid.text().toUpperCase())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cid.parse("bagaaieraiqjw7i2vwntyuekgvulpp2det2kpwt6cd7tx5ayqybqpmhfk76fa"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
