package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

/** Error codes keep the protocol's names, and a code from a newer sender survives decoding unchanged. */
class ErrorCodeTest {

    @Test
    void wireNamesAreTheProtocols() throws Exception {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName))
                .contains(
                        "out_of_capacity",
                        "model_not_loaded",
                        "backend_unreachable",
                        "backend_timeout",
                        "auth_rejected_by_backend",
                        "unsupported",
                        "invalid_payload",
                        "executor_error",
                        "timeout",
                        "cancelled",
                        "internal",
                        "node_lost",
                        "agent_stopping",
                        "deadline_exceeded",
                        "dependency_failed",
                        "result_too_large");
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.fromWire(code.wireName())).isSameAs(code);
            String json = Json.mapper().writeValueAsString(code);
            assertThat(json).isEqualTo('"' + code.wireName() + '"');
            assertThat(Json.mapper().readValue(json, ErrorCode.class)).isSameAs(code);
        }
    }

    @Test
    void aCodeThisVersionDoesNotKnowReadsAsUnknown() throws Exception {
        assertThat(ErrorCode.fromWire("quota_exceeded")).isSameAs(ErrorCode.UNKNOWN);
        assertThat(ErrorCode.fromWire(null)).isSameAs(ErrorCode.UNKNOWN);
        assertThat(Json.mapper().readValue("\"quota_exceeded\"", ErrorCode.class))
                .isSameAs(ErrorCode.UNKNOWN);
    }

    @Test
    void onlyTheRefusalsSendTheJobToAnotherNode() {
        assertThat(Arrays.stream(ErrorCode.values()).filter(ErrorCode::isRefusal))
                .containsExactlyInAnyOrder(
                        ErrorCode.OUT_OF_CAPACITY, ErrorCode.UNSUPPORTED, ErrorCode.MODEL_NOT_LOADED);
    }

    @Test
    void aNewerAgentsCodeIsKeptAsSentThroughTheWireAndTheJobDocument() throws Exception {
        MessageCodec codec = new MessageCodec();
        Message decoded = codec.decode(
                "{\"type\":\"job_error\",\"v\":1,\"job_id\":\"j\",\"attempt\":1,\"error_code\":\"quota_exceeded\","
                        + "\"message\":\"over quota\",\"retryable\":false}");

        Message.JobError error = (Message.JobError) decoded;
        assertThat(error.errorCode()).isEqualTo("quota_exceeded");
        assertThat(error.codeKind()).isSameAs(ErrorCode.UNKNOWN);

        JobError stored = Json.mapper()
                .readValue(
                        Json.mapper().writeValueAsString(new JobError(error.errorCode(), error.message())),
                        JobError.class);
        assertThat(stored.code()).isEqualTo("quota_exceeded");
        assertThat(stored.codeKind()).isSameAs(ErrorCode.UNKNOWN);
    }

    @Test
    void aTypedCodeTravelsUnderItsWireName() {
        MessageCodec codec = new MessageCodec();
        String frame = codec.encode(new Message.JobRejected("j", 2, ErrorCode.OUT_OF_CAPACITY, "full"));

        assertThat(frame).contains("\"error_code\":\"out_of_capacity\"");
        Message.JobRejected back = (Message.JobRejected) codec.decode(frame);
        assertThat(back.codeKind()).isSameAs(ErrorCode.OUT_OF_CAPACITY);
        assertThat(new JobError(ErrorCode.NODE_LOST, "gone").code()).isEqualTo("node_lost");
    }
}
