package org.planetarymesh.testkit.inference;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a tiny randomly initialised llama2.c checkpoint (dim 64, 2 layers, 4 heads, the llama vocabulary's 32,000
 * tokens; about 8.5 MB), the input of llama.cpp's {@code llama-convert-llama2c-to-ggml}. Its output is gibberish,
 * which is all a test of relaying tokens needs. The layout is llama2.c's {@code run.c}: seven little-endian int32
 * (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a positive vocab_size means the classifier
 * shares the embedding), then float32 weights in its order, then the RoPE tables the converter skips.
 */
final class TinyCheckpoint {
    static final int DIM = 64;
    static final int HIDDEN = 192;
    static final int LAYERS = 2;
    static final int HEADS = 4;
    static final int VOCAB = 32_000;
    static final int SEQ_LEN = 256;

    private TinyCheckpoint() {}

    /** Writes the checkpoint to {@code file}; the same {@code seed} gives the same bytes. */
    static void write(Path file, long seed) throws IOException {
        Random random = new Random(seed);
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            for (int v : new int[] {DIM, HIDDEN, LAYERS, HEADS, HEADS, VOCAB, SEQ_LEN}) {
                out.writeInt(Integer.reverseBytes(v));
            }
            gaussian(out, random, (long) VOCAB * DIM); // token embeddings (shared with the classifier)
            ones(out, (long) LAYERS * DIM); // rms_att
            gaussian(out, random, (long) LAYERS * DIM * DIM); // wq
            gaussian(out, random, (long) LAYERS * DIM * DIM); // wk
            gaussian(out, random, (long) LAYERS * DIM * DIM); // wv
            gaussian(out, random, (long) LAYERS * DIM * DIM); // wo
            ones(out, (long) LAYERS * DIM); // rms_ffn
            gaussian(out, random, (long) LAYERS * DIM * HIDDEN); // w1
            gaussian(out, random, (long) LAYERS * HIDDEN * DIM); // w2
            gaussian(out, random, (long) LAYERS * DIM * HIDDEN); // w3
            ones(out, DIM); // rms_final
            zeros(out, (long) SEQ_LEN * (DIM / HEADS)); // freq_cis_real and _imag, head_size / 2 each per position
        }
    }

    private static void gaussian(DataOutputStream out, Random random, long count) throws IOException {
        for (long i = 0; i < count; i++) {
            out.writeInt(Integer.reverseBytes(Float.floatToIntBits((float) (random.nextGaussian() * 0.05))));
        }
    }

    private static void ones(DataOutputStream out, long count) throws IOException {
        for (long i = 0; i < count; i++) {
            out.writeInt(Integer.reverseBytes(Float.floatToIntBits(1f)));
        }
    }

    private static void zeros(DataOutputStream out, long count) throws IOException {
        for (long i = 0; i < count; i++) {
            out.writeInt(0);
        }
    }
}
