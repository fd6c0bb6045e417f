package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkWriterTest {

    @Test
    void keepsACharacterSplitAcrossChunksWhole() {
        byte[] bytes = "ok ✓ 🚀 done".getBytes(StandardCharsets.UTF_8);
        StringWriter text = new StringWriter();
        ChunkWriter writer = new ChunkWriter(new PrintWriter(text));
        // One byte at a time: every multi-byte character is cut.
        for (int i = 0; i < bytes.length; i++) {
            writer.write(Arrays.copyOfRange(bytes, i, i + 1));
        }
        writer.finish();

        assertThat(text.toString()).isEqualTo("ok ✓ 🚀 done");
    }

    @Test
    void printsATruncatedTailAsAReplacementCharacterAtTheEnd() {
        StringWriter text = new StringWriter();
        ChunkWriter writer = new ChunkWriter(new PrintWriter(text));
        writer.write(new byte[] {'a', (byte) 0xE2, (byte) 0x9C});
        assertThat(text.toString()).isEqualTo("a");
        writer.finish();
        assertThat(text.toString()).isEqualTo("a\uFFFD");
    }
}
