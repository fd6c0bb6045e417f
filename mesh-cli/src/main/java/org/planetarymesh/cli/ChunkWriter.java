package org.planetarymesh.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Writes streamed output chunks as text. A chunk may end in the middle of a multi-byte UTF-8 character (tokens and
 * pipes cut anywhere), so the undecoded tail of one chunk is kept and prefixed to the next instead of printing a
 * replacement character for each half.
 */
public final class ChunkWriter {

    private final PrintWriter out;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    public ChunkWriter(PrintWriter out) {
        this.out = out;
    }

    /** Decodes and prints {@code bytes}, holding back an incomplete trailing character. */
    public void write(byte[] bytes) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length);
        in.put(pending).put(bytes).flip();
        CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, chars, false);
        pending = in.slice();
        out.print(chars.flip());
        out.flush();
    }

    /** Prints whatever is still held back (as replacement characters if it never completed). */
    public void finish() {
        CharBuffer chars = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, chars, true);
        decoder.flush(chars);
        pending = ByteBuffer.allocate(0);
        decoder.reset();
        out.print(chars.flip());
        out.flush();
    }
}
