package org.planetarymesh.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.planetarymesh.core.json.Json;

/** Every kind of bad frame {@link MessageCodec} must refuse, each with the exact code and message it produces. */
class MalformedFrameTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static final String J = "\"job_id\":\"01890a5d-ac96-7ab2-80e2-4536629c90de\"";

    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                refused(
                        "not JSON",
                        "hello there",
                        "malformed_json",
                        "frame is not valid JSON at line 1, column 1: Unrecognized token 'hello': was expecting (JSON String,"
                                + " Number, Array, Object or token 'null', 'true' or 'false')"),
                refused("empty", "", "malformed_json", "frame is empty"),
                refused("only whitespace", "  \n ", "malformed_json", "frame is empty"),
                refused(
                        "truncated",
                        "{'type':'drain','v':1",
                        "malformed_json",
                        "frame is not valid JSON: it ends in the middle of a value"),
                refused(
                        "truncated string",
                        "{'type':'drain','reason':'by",
                        "malformed_json",
                        "frame is not valid JSON: it ends in the middle of a value"),
                refused(
                        "trailing content",
                        "{'type':'drain','v':1} {'type':'drain'}",
                        "malformed_json",
                        "frame has content after its JSON object"),
                refused(
                        "duplicate key",
                        "{'type':'drain','v':1,'type':'job_cancel'}",
                        "malformed_json",
                        "frame is not valid JSON at line 1, column 29: Duplicate field 'type'"),
                refused(
                        "unpaired surrogate escape", "{'type':'drain','v':1,'reason':'\\ud800 oops'}",
                        "malformed_json", "frame is not valid JSON: 'reason' has an unpaired UTF-16 surrogate"),
                // Jackson (2.23) refuses a lone surrogate in a key itself, with its position, as for a duplicate key.
                refused(
                        "unpaired low surrogate in a key",
                        "{'type':'drain','v':1,'payload':{'\\udc00':1}}",
                        "malformed_json",
                        "frame is not valid JSON at line 1, column 41: Unexpected low surrogate in field name: 0xdc00"),
                refused("JSON array", "[{'type':'drain'}]", "invalid_frame", "frame must be a JSON object"),
                refused("JSON string", "'drain'", "invalid_frame", "frame must be a JSON object"),
                refused("JSON null", "null", "invalid_frame", "frame must be a JSON object"),
                refused("no type", "{'v':1,'reason':'x'}", "missing_field", "frame has no 'type'"),
                refused("null type", "{'type':null,'v':1}", "missing_field", "frame has no 'type'"),
                refused("type not a string", "{'type':7,'v':1}", "wrong_type", "'type' must be a string"),
                refused(
                        "unknown type",
                        "{'type':'job_teleport','v':1}",
                        "unknown_type",
                        "unknown message type 'job_teleport'"),
                refused(
                        "type in the wrong case",
                        "{'type':'HELLO','v':1}",
                        "unknown_type",
                        "unknown message type 'HELLO'"),
                refused(
                        "future version",
                        "{'type':'drain','v':2}",
                        "unsupported_version",
                        "protocol version 2 is not supported; use v 1"),
                refused(
                        "version as string",
                        "{'type':'drain','v':'1'}",
                        "unsupported_version",
                        "protocol version \"1\" is not supported; use v 1"),
                refused(
                        "assign_job without attempt",
                        "{'type':'assign_job','v':1," + J + ",'job_type':'echo'}",
                        "missing_field",
                        "assign_job: missing required field 'attempt'"),
                refused(
                        "hello without node_id",
                        "{'type':'hello','v':1,'max_concurrent':2}",
                        "missing_field",
                        "hello: missing required field 'node_id'"),
                refused(
                        "required field null", "{'type':'job_accepted','v':1,'job_id':null,'attempt':1}",
                        "missing_field", "job_accepted: missing required field 'job_id'"),
                refused(
                        "nested required field missing",
                        "{'type':'hello','v':1,'node_id':'n','max_concurrent':1,'running_jobs':[{'job_id':'j'}]}",
                        "missing_field",
                        "hello: missing required field 'running_jobs[0].attempt'"),
                refused(
                        "attempt as string",
                        "{'type':'job_accepted','v':1," + J + ",'attempt':'3'}",
                        "wrong_type",
                        "job_accepted: field 'attempt' must be an integer"),
                refused(
                        "required number null",
                        "{'type':'job_accepted','v':1," + J + ",'attempt':null}",
                        "missing_field",
                        "job_accepted: missing required field 'attempt'"),
                refused(
                        "seq as float",
                        "{'type':'job_chunk','v':1," + J + ",'attempt':1,'seq':1.5,'data':'AA=='}",
                        "wrong_type",
                        "job_chunk: field 'seq' must be an integer"),
                refused(
                        "attempt beyond int",
                        "{'type':'job_accepted','v':1," + J + ",'attempt':3000000000}",
                        "wrong_type",
                        "job_accepted: field 'attempt' must be an integer between -2147483648 and 2147483647"),
                refused(
                        "job_id as number",
                        "{'type':'job_accepted','v':1,'job_id':42,'attempt':1}",
                        "wrong_type",
                        "job_accepted: field 'job_id' must be a string"),
                refused(
                        "capabilities as object",
                        "{'type':'hello','v':1,'node_id':'n','max_concurrent':1,'capabilities':{'gpu':true}}",
                        "wrong_type",
                        "hello: field 'capabilities' must be an array"),
                refused(
                        "capability not a string",
                        "{'type':'hello','v':1,'node_id':'n','max_concurrent':1,'capabilities':['gpu',7]}",
                        "wrong_type",
                        "hello: field 'capabilities[1]' must be a string"),
                refused(
                        "retryable as string",
                        "{'type':'job_error','v':1," + J + ",'attempt':1,'error_code':'internal','retryable':'yes'}",
                        "wrong_type",
                        "job_error: field 'retryable' must be a boolean"),
                refused(
                        "retryable as number",
                        "{'type':'job_error','v':1," + J + ",'attempt':1,'error_code':'internal','retryable':1}",
                        "wrong_type",
                        "job_error: field 'retryable' must be a boolean"),
                refused(
                        "progress as string",
                        "{'type':'job_progress','v':1," + J + ",'attempt':1,'progress':'half'}",
                        "wrong_type",
                        "job_progress: field 'progress' must be a number"),
                refused(
                        "nested resource of the wrong type",
                        "{'type':'hello','v':1,'node_id':'n','max_concurrent':1,'resources':{'memory_mb':'lots'}}",
                        "wrong_type",
                        "hello: field 'resources.memory_mb' must be an integer"),
                refused(
                        "labels as array",
                        "{'type':'hello','v':1,'node_id':'n','max_concurrent':1,'labels':['eu']}",
                        "wrong_type",
                        "hello: field 'labels' must be an object"),
                refused(
                        "deadline not an instant",
                        "{'type':'assign_job','v':1," + J + ",'attempt':1,'job_type':'echo','deadline':'tomorrow'}",
                        "wrong_type",
                        "assign_job: field 'deadline' must be an ISO-8601 instant"),
                refused(
                        "nesting deeper than the limit",
                        "{'type':'job_done','v':1," + J + ",'attempt':1,'result':" + "[".repeat(Json.MAX_NESTING_DEPTH)
                                + "]".repeat(Json.MAX_NESTING_DEPTH) + "}",
                        "invalid_frame",
                        "frame nests deeper than " + Json.MAX_NESTING_DEPTH + " levels"));
    }

    private static Arguments refused(String what, String singleQuotedFrame, String code, String message) {
        return Arguments.of(what, singleQuotedFrame.replace('\'', '"'), code, message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedFrames")
    void aMalformedFrameIsRefusedWithItsExactError(String what, String frame, String code, String message) {
        assertThatThrownBy(() -> CODEC.decode(frame))
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.code() + ": " + e.getMessage()).isEqualTo(code + ": " + message));
    }

    @Test
    void theTableHasAtLeastTwentyCases() {
        assertThat(malformedFrames()).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void nestingUpToTheLimitIsAccepted() {
        int depth = Json.MAX_NESTING_DEPTH - 1; // the frame object itself is one level
        String frame = "{\"type\":\"job_done\",\"v\":1," + J + ",\"attempt\":1,\"result\":" + "[".repeat(depth)
                + "]".repeat(depth) + "}";

        assertThat(CODEC.decode(frame)).isInstanceOf(Message.JobDone.class);
    }

    @Test
    void aFrameOverTheByteLimitIsRefusedBeforeItIsParsed() {
        MessageCodec small = new MessageCodec(64);
        String frame = "{\"type\":\"drain\",\"v\":1,\"reason\":\"" + "x".repeat(40) + "\"}"; // 74 bytes

        assertThatThrownBy(() -> small.decode(frame))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo("frame_too_large"))
                .hasMessage("frame is 74 bytes, more than the limit of 64");
    }

    @Test
    void theByteLimitCountsUtf8BytesNotCharacters() {
        MessageCodec small = new MessageCodec(64);
        String frame = "{\"type\":\"drain\",\"v\":1,\"reason\":\"" + "é".repeat(20) + "\"}"; // 54 chars, 74 bytes
        assertThat(frame.length()).isLessThan(64);

        assertThatThrownBy(() -> small.decode(frame))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo("frame_too_large"))
                .hasMessage("frame is 74 bytes, more than the limit of 64");
    }

    @Test
    void aFrameExactlyAtTheLimitIsAccepted() {
        String frame = "{\"type\":\"drain\",\"v\":1,\"reason\":\"" + "x".repeat(30) + "\"}"; // 64 bytes
        assertThat(frame).hasSize(64);

        assertThat(new MessageCodec(64).decode(frame)).isEqualTo(new Message.Drain("x".repeat(30)));
    }

    @Test
    void aNullFrameIsEmpty() {
        assertThatThrownBy(() -> CODEC.decode(null))
                .isInstanceOfSatisfying(
                        ProtocolException.class, e -> assertThat(e.code()).isEqualTo("malformed_json"))
                .hasMessage("frame is empty");
    }
}
