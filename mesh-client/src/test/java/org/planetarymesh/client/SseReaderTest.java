package org.planetarymesh.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<SseEvent> read(String raw) throws IOException {
        List<SseEvent> out = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)))) {
            for (int i = 0; i < 100; i++) {
                SseEvent event = reader.next();
                if (event == null) {
                    return out;
                }
                out.add(event);
            }
        }
        throw new AssertionError("more events than the input can hold");
    }

    @Test
    void readsIdEventAndData() throws IOException {
        assertThat(read("id: 7\nevent: chunk\ndata: {\"seq\":7}\n\n"))
                .containsExactly(new SseEvent("7", "chunk", "{\"seq\":7}"));
    }

    @Test
    void joinsMultiLineDataWithNewlines() throws IOException {
        assertThat(read("data: one\ndata:two\ndata:  three\n\n"))
                .containsExactly(new SseEvent(null, "message", "one\ntwo\n three"));
    }

    @Test
    void ignoresCommentsAndUnknownFields() throws IOException {
        assertThat(read(": keep-alive\nretry: 1000\nfoo: bar\nevent: status\ndata: x\n\n:another\n\n"))
                .containsExactly(new SseEvent(null, "status", "x"));
    }

    @Test
    void acceptsCrLfAndBareCrLineEnds() throws IOException {
        assertThat(read("event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r"))
                .containsExactly(new SseEvent(null, "a", "1"), new SseEvent(null, "b", "2"));
    }

    @Test
    void dropsEventsWithoutDataAndForgetsTheirEventName() throws IOException {
        assertThat(read("id: 1\nevent: status\n\ndata: later\n\n"))
                .extracting(SseEvent::event, SseEvent::data)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("message", "later"));
    }

    @Test
    void keepsAnEmptyDataLineAsAnEmptyEvent() throws IOException {
        assertThat(read("event: ping\ndata\n\n")).containsExactly(new SseEvent(null, "ping", ""));
    }

    @Test
    void dropsAnEventCutOffByTheEndOfTheStream() throws IOException {
        assertThat(read("data: whole\n\ndata: half")).containsExactly(new SseEvent(null, "message", "whole"));
    }

    @Test
    void readsMultiByteCharactersIntact() throws IOException {
        assertThat(read("data: héllo ✓ 🚀\n\n")).containsExactly(new SseEvent(null, "message", "héllo ✓ 🚀"));
    }
}
