package org.planetarymesh.agent.executor.builtin;

import java.nio.charset.StandardCharsets;

/** Keeps the last N bytes written to it, e.g. the end of a command's stderr for its error message. */
final class TailBuffer {
    private final byte[] ring;
    private long written;

    TailBuffer(int capacity) {
        ring = new byte[capacity];
    }

    synchronized void write(byte[] data, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % ring.length)] = data[i];
        }
    }

    synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
