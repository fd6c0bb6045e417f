package org.planetarymesh.coordinator.openai;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A job's chunks as text: each chunk's {@code data} is base64 of output bytes (the protocol's rule for every
 * executor), and the inference executor's bytes are the assistant's text in UTF-8. A chunk may end inside a
 * multi-byte character, so an incomplete tail is held back and put in front of the next chunk's bytes.
 */
final class ChunkText {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    /** The text {@code base64} completes; IllegalArgumentException if it is not base64. */
    String next(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length);
        in.put(pending).put(bytes).flip();
        CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, chars, false);
        pending = in.slice();
        return chars.flip().toString();
    }

    /** What is still held back, as replacement characters: the output ended inside a character. */
    String rest() {
        if (!pending.hasRemaining()) {
            return "";
        }
        CharBuffer chars = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, chars, true);
        decoder.flush(chars);
        pending = ByteBuffer.allocate(0);
        return chars.flip().toString();
    }
}
