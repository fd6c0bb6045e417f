package org.planetarymesh.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutorException;

class ChatPayloadTest {

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.mapper().readTree(text);
    }

    @Test
    void eachMalformedFieldIsNamedWithItsFix() {
        String[][] cases = {
            {"[]", "OpenAI chat request"},
            {"{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "model must be"},
            {"{\"model\":\"m\"}", "messages must be a non-empty array"},
            {"{\"model\":\"m\",\"messages\":[]}", "messages must be a non-empty array"},
            {"{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}", "messages[0] must be an object with a string role"
            },
            {"{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":0}", "max_tokens must be"},
            {"{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":1.5}", "max_tokens must be"},
            {"{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":3}", "n must be 1"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> ChatPayload.check(Json.mapper().readTree(c[0])))
                    .as(c[0])
                    .isInstanceOfSatisfying(
                            ExecutorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD))
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void maxTokensIsWhatIsAskedAtMostTheBound() throws Exception {
        assertThat(ChatPayload.boundedMaxTokens(json("{\"max_tokens\":10}"), 64))
                .isEqualTo(10);
        assertThat(ChatPayload.boundedMaxTokens(json("{\"max_tokens\":100000}"), 64))
                .isEqualTo(64);
        assertThat(ChatPayload.boundedMaxTokens(json("{}"), 64)).isEqualTo(64);
        assertThat(ChatPayload.boundedMaxTokens(json("{\"max_completion_tokens\":7,\"max_tokens\":9}"), 64))
                .isEqualTo(7);
    }

    @Test
    void theOpenAiBodyAlwaysStreamsWithUsageAndKeepsEverythingElse() throws Exception {
        ObjectNode payload = json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"stream\":false,\"stream_options\":{\"continuous_usage_stats\":true},\"top_k\":5,"
                + "\"max_completion_tokens\":900}");

        JsonNode body = ChatPayload.body(payload, WireFormat.OPENAI, 64);

        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/continuous_usage_stats").asBoolean())
                .isTrue();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(64);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("top_k").asInt()).isEqualTo(5);
        assertThat(payload.path("stream").asBoolean())
                .as("the job's own payload is untouched")
                .isFalse();
    }

    @Test
    void theOllamaBodyMovesSamplingUnderOptionsAndJoinsTextParts() throws Exception {
        ObjectNode payload = json("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\"},{\"type\":\"text\",\"text\":\"b\"}]}],"
                + "\"temperature\":0.5,\"stop\":\"END\"}");

        JsonNode body = ChatPayload.body(payload, WireFormat.OLLAMA, 32);

        assertThat(body.at("/messages/0/content").asText()).isEqualTo("ab");
        assertThat(body.at("/options/num_predict").asInt()).isEqualTo(32);
        assertThat(body.at("/options/temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.at("/options/stop/0").asText()).isEqualTo("END");
        assertThat(body.path("stream").asBoolean()).isTrue();
    }
}
