package org.planetarymesh.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamParserTest {

    private static List<StreamEvent> parse(StreamParser parser, String stream) {
        List<StreamEvent> events = new ArrayList<>();
        for (String line : stream.split("\n", -1)) {
            parser.line(line, events::add);
        }
        parser.end(events::add);
        return events;
    }

    @Test
    void openAiChunksBecomeTextFinishUsageAndEnd() {
        String stream = """
                : keep-alive

                data: {"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}

                data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}

                data: {"choices":[{"index":0,"delta":{"content":"lo ✓"}}]}

                data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}

                data: {"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

                data: [DONE]

                """;

        assertThat(parse(new SseParser(), stream))
                .containsExactly(
                        new StreamEvent.Content("Hel"),
                        new StreamEvent.Content("lo ✓"),
                        new StreamEvent.Finished("length"),
                        new StreamEvent.Tokens(9, 2),
                        new StreamEvent.End());
    }

    @Test
    void dataLinesOfOneEventAreJoined() {
        String stream = "data: {\"choices\":[{\"delta\":\ndata: {\"content\":\"a\"}}]}\n\ndata:[DONE]\n\n";

        assertThat(parse(new SseParser(), stream)).containsExactly(new StreamEvent.Content("a"), new StreamEvent.End());
    }

    @Test
    void errorsInTheStreamAreReportedWithTheBackendsMessage() {
        assertThat(parse(new SseParser(), "data: {\"error\":{\"message\":\"context full\",\"code\":500}}\n\n"))
                .containsExactly(new StreamEvent.Failed("context full"));
        assertThat(parse(new SseParser(), "error: {\"message\":\"slot unavailable\"}\n"))
                .containsExactly(new StreamEvent.Failed("{\"message\":\"slot unavailable\"}"));
    }

    @Test
    void anEventThatIsNotJsonIsAMalformedStream() {
        assertThatThrownBy(() -> parse(new SseParser(), "data: {not json\n\n"))
                .isInstanceOf(StreamParser.MalformedStreamException.class)
                .hasMessageContaining("{not json");
    }

    @Test
    void ollamaLinesBecomeTextThenCountsFinishAndEnd() {
        String stream = """
                {"model":"m","message":{"role":"assistant","content":"Hi"},"done":false}
                {"model":"m","message":{"role":"assistant","content":" there"},"done":false}
                {"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":12,"eval_count":2}
                """;

        assertThat(parse(new NdjsonParser(), stream))
                .containsExactly(
                        new StreamEvent.Content("Hi"),
                        new StreamEvent.Content(" there"),
                        new StreamEvent.Tokens(12, 2),
                        new StreamEvent.Finished("stop"),
                        new StreamEvent.End());
        assertThat(parse(new NdjsonParser(), "{\"error\":\"model requires more system memory\"}\n"))
                .containsExactly(new StreamEvent.Failed("model requires more system memory"));
    }
}
