package org.planetarymesh.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Utf8} agrees with the JDK's strict decoder, and {@link SafeText} names what it refuses. */
class Utf8Test {

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnSeededRandomBytes() {
        Random random = new Random(35);
        int refused = 0;
        for (int n = 0; n < 200_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly the bytes around the boundaries that matter: leads C0-F7, continuations 80-BF, ASCII.
                bytes[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x78) : random.nextInt(256));
            }
            boolean valid = Utf8.firstInvalid(bytes) < 0;
            assertThat(valid)
                    .as("%s", java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdkAccepts(bytes));
            refused += valid ? 0 : 1;
        }
        assertThat(refused).isBetween(1_000, 199_000); // both outcomes were exercised
    }

    @Test
    void namesTheOffsetOfTheFirstBadSequence() {
        assertThat(Utf8.firstInvalid("a/é€😀".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(Utf8.firstInvalid(new byte[] {'a', 'b', (byte) 0xC0, (byte) 0xAF}))
                .isEqualTo(2);
        assertThat(Utf8.firstInvalid(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}))
                .isEqualTo(1);
        assertThat(Utf8.firstInvalid(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}))
                .isEqualTo(0);
    }

    @Test
    void safeTextRefusesNulAndUnpairedSurrogatesOnly() {
        assertThat(SafeText.problem("plain é 😀")).isNull();
        assertThat(SafeText.problem("a\u0000b")).contains("U+0000");
        assertThat(SafeText.problem("x\ud800")).contains("surrogate");
        assertThat(SafeText.problem("\udc00x")).contains("surrogate");
        assertThat(SafeText.problem("\ud83d\ude00")).isNull();
    }
}
