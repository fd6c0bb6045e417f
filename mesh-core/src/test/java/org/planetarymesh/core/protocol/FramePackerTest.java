package org.planetarymesh.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packing encoded messages into one frame under a UTF-8 byte limit, envelope included. */
class FramePackerTest {
    private final MessageCodec codec = new MessageCodec();

    private String progress(int i, String log) {
        return codec.encode(new Message.JobProgress("job", 1, 0.5, log + i));
    }

    private static int bytes(String frame) {
        return frame.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Adds until one is refused; returns the ones taken. */
    private static List<String> pack(FramePacker packer, List<String> encoded) {
        List<String> taken = new ArrayList<>();
        for (String e : encoded) {
            if (!packer.add(e)) {
                break;
            }
            taken.add(e);
        }
        return taken;
    }

    @Test
    void oneMessageIsSentPlainAndSeveralInOneBatchInOrder() {
        List<String> encoded = List.of(progress(0, "a"), progress(1, "b"), progress(2, "c"));

        FramePacker single = new FramePacker(MessageCodec.DEFAULT_MAX_FRAME_BYTES);
        single.add(encoded.getFirst());
        assertThat(single.frame()).isEqualTo(encoded.getFirst());

        FramePacker packer = new FramePacker(MessageCodec.DEFAULT_MAX_FRAME_BYTES);
        assertThat(pack(packer, encoded)).hasSize(3);
        List<Message> decoded = codec.decodeFrame(packer.frame());
        assertThat(decoded).extracting(m -> ((Message.JobProgress) m).log()).containsExactly("a0", "b1", "c2");
    }

    @Test
    void takesAsManyAsFitUnderTheLimitWithTheEnvelope() {
        List<String> encoded = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            encoded.add(progress(i, "x".repeat(100)));
        }
        int one = encoded.getFirst().length();
        // Room for exactly 7 with the envelope, not 8.
        int limit = 7 * one + MessageCodec.batchOverhead(7) + 5;

        FramePacker packer = new FramePacker(limit);
        List<String> taken = pack(packer, encoded);

        assertThat(taken).hasSize(7).containsExactlyElementsOf(encoded.subList(0, 7));
        assertThat(packer.count()).isEqualTo(7);
        assertThat(bytes(packer.frame())).isLessThanOrEqualTo(limit);
        assertThat(codec.decodeFrame(packer.frame())).hasSize(7);
    }

    @Test
    void countsMultiByteCharactersInUtf8() {
        // 'é' is 2 bytes, '€' 3 and '𝄞' 4 (a surrogate pair of 2 chars): chars alone would overfill the frame.
        List<String> encoded = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            encoded.add(progress(i, "é€𝄞".repeat(20)));
        }
        int one = bytes(encoded.getFirst());
        int limit = 4 * one + MessageCodec.batchOverhead(4);

        FramePacker packer = new FramePacker(limit);
        List<String> taken = pack(packer, encoded);

        assertThat(taken).hasSize(4);
        assertThat(bytes(packer.frame())).isEqualTo(limit);
        assertThat(MessageCodec.utf8Length(encoded.getFirst())).isEqualTo(one);
    }

    @Test
    void aMessageTooBigAloneStillGoesAloneAndNothingJoinsIt() {
        String big = progress(0, "y".repeat(500));
        FramePacker packer = new FramePacker(100);

        assertThat(packer.add(big)).isTrue();
        assertThat(packer.add(progress(1, "small"))).isFalse();
        assertThat(packer.frame()).isEqualTo(big);
        assertThat(FramePacker.fitsAlone(big, 100)).isFalse();
        assertThat(FramePacker.fitsAlone(big, bytes(big))).isTrue();
    }

    @Test
    void anAcceptWhoseResultIsAlsoWaitingIsLeftOutButStillConsumed() {
        List<Message> waiting = List.of(
                new Message.JobAccepted("fast", 1),
                new Message.JobAccepted("slow", 1),
                new Message.JobDone("fast", 1, null, null, 0, "echo", "exact", null),
                new Message.JobAccepted("failing", 2),
                new Message.JobError("failing", 2, "boom", "it broke", false, 0),
                new Message.JobAccepted("fast", 2)); // another attempt: its result is not here

        FramePacker.Packed packed = FramePacker.pack(waiting, codec::encode, MessageCodec.DEFAULT_MAX_FRAME_BYTES);

        assertThat(packed.consumed()).isEqualTo(6);
        assertThat(codec.decodeFrame(packed.frame()))
                .containsExactly(waiting.get(1), waiting.get(2), waiting.get(4), waiting.get(5));
    }

    @Test
    void whatDoesNotFitStaysForTheNextFrame() {
        List<Message> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(new Message.JobProgress("job", 1, 0.5, "x".repeat(1_000) + i));
        }

        FramePacker.Packed packed = FramePacker.pack(waiting, codec::encode, 10_000);

        assertThat(packed.consumed()).isBetween(2, 9);
        assertThat(bytes(packed.frame())).isLessThanOrEqualTo(10_000);
        assertThat(codec.decodeFrame(packed.frame())).containsExactlyElementsOf(waiting.subList(0, packed.consumed()));
    }
}
