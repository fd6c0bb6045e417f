package org.planetarymesh.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames that carry several messages: the {@code batch} envelope both ends use under load. */
class BatchFrameTest {

    private static final MessageCodec CODEC = new MessageCodec();

    @Test
    void batchRoundTripsInOrder() {
        List<Message> messages = List.of(
                new Message.JobAccepted("j-1", 1),
                new Message.JobDone("j-1", 1, null, null, 3, "echo", "exact", null),
                new Message.Drain("bye"));

        String frame = CODEC.encodeBatch(messages);

        assertThat(frame).startsWith("{\"type\":\"batch\",\"v\":1,\"messages\":[{\"type\":\"job_accepted\",\"v\":1,");
        assertThat(CODEC.decodeFrame(frame)).isEqualTo(messages);
    }

    @Test
    void oneMessageIsSentPlainAndAPlainFrameDecodesToOneMessage() {
        Message drain = new Message.Drain("bye");

        String frame = CODEC.encodeBatch(List.of(drain));

        assertThat(frame).isEqualTo(CODEC.encode(drain)).isEqualTo("{\"type\":\"drain\",\"v\":1,\"reason\":\"bye\"}");
        assertThat(CODEC.decodeFrame(frame)).containsExactly(drain);
        assertThat(CODEC.decode(frame)).isEqualTo(drain);
    }

    @Test
    void aBadMessageRefusesTheWholeBatchAndSaysWhichOne() {
        String frame = "{\"type\":\"batch\",\"v\":1,\"messages\":[{\"type\":\"drain\",\"v\":1},"
                + "{\"type\":\"job_accepted\",\"v\":1,\"job_id\":\"j\",\"attempt\":\"2\"}]}";

        assertThatThrownBy(() -> CODEC.decodeFrame(frame))
                .isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("batch: messages[1]: job_accepted: field 'attempt'")
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo("wrong_type");
    }

    @Test
    void malformedEnvelopesAreRefused() {
        assertRefused("{\"type\":\"batch\",\"v\":1}", "missing_field", "batch: 'messages' must be a non-empty array");
        assertRefused("{\"type\":\"batch\",\"v\":1,\"messages\":[]}", "missing_field", "batch: 'messages' must be");
        assertRefused("{\"type\":\"batch\",\"v\":1,\"messages\":{}}", "missing_field", "batch: 'messages' must be");
        assertRefused("{\"type\":\"batch\",\"v\":2,\"messages\":[]}", "unsupported_version", "protocol version 2");
        assertRefused(
                "{\"type\":\"batch\",\"messages\":[{\"type\":\"batch\",\"messages\":[{\"type\":\"drain\"}]}]}",
                "invalid_frame",
                "batch: messages[0] is a batch; batches do not nest");
        assertRefused("{\"type\":\"batch\",\"messages\":[7]}", "invalid_frame", "batch: messages[0]: frame must be");
    }

    @Test
    void theSingleMessageDecoderDoesNotTakeBatches() {
        String frame = CODEC.encodeBatch(List.of(new Message.Drain("a"), new Message.Drain("b")));

        assertThatThrownBy(() -> CODEC.decode(frame))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("unknown message type 'batch'");
    }

    private static void assertRefused(String frame, String code, String messageStart) {
        assertThatThrownBy(() -> CODEC.decodeFrame(frame))
                .isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith(messageStart)
                .extracting(e -> ((ProtocolException) e).code())
                .isEqualTo(code);
    }
}
