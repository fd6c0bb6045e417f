package org.planetarymesh.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.Usage;

/** How a transcript paces its chunks: the first piece at once, faster ones together, none held past its interval. */
class TranscriptTest {
    private static final Backend BACKEND =
            new Backend(WireFormat.OPENAI, URI.create("http://127.0.0.1:8080/v1"), "llama.cpp", true, null);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final RecordingContext context = new RecordingContext();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void theFirstPieceLeavesAtOnceAndTheNextWaitsForTheIntervalWithoutFurtherInput() {
        Transcript transcript = new Transcript("m", BACKEND, context, System.nanoTime(), 300, timer);

        transcript.accept(new StreamEvent.Content("Hello"));
        assertThat(context.chunks).containsExactly("Hello");

        long held = System.nanoTime();
        transcript.accept(new StreamEvent.Content(","));
        transcript.accept(new StreamEvent.Content(" mesh"));
        assertThat(context.chunks).containsExactly("Hello");

        // Nothing else comes from the backend: the end of the interval sends what waited, as one chunk.
        await().atMost(Duration.ofSeconds(5)).until(() -> context.chunks.size() == 2);
        assertThat(System.nanoTime() - held)
                .isGreaterThanOrEqualTo(Duration.ofMillis(250).toNanos());
        assertThat(context.chunks).containsExactly("Hello", ", mesh");
    }

    @Test
    void theEndOfTheStreamSendsWhatWaitsAtOnce() throws Exception {
        Transcript transcript = new Transcript("m", BACKEND, context, System.nanoTime(), 60_000, timer);

        transcript.accept(new StreamEvent.Content("a"));
        transcript.accept(new StreamEvent.Content("b"));
        transcript.accept(new StreamEvent.Content("c"));
        assertThat(context.chunks).containsExactly("a");

        transcript.accept(new StreamEvent.Finished("stop"));
        assertThat(context.chunks).containsExactly("a", "bc");
        transcript.accept(new StreamEvent.End());
        transcript.rethrow();
        assertThat(transcript.result().path("content").asText()).isEqualTo("abc");
    }

    @Test
    void withoutAnIntervalEveryPieceIsAChunk() {
        Transcript transcript = new Transcript("m", BACKEND, context, System.nanoTime(), 0, timer);

        List.of("one", " two", " three").forEach(text -> transcript.accept(new StreamEvent.Content(text)));

        assertThat(context.chunks).containsExactly("one", " two", " three");
    }

    /** An execution context that keeps the chunks it is given. */
    private static final class RecordingContext implements ExecutionContext {
        final List<String> chunks = new CopyOnWriteArrayList<>();

        @Override
        public void emit(String stream, byte[] data) {
            chunks.add(new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void progress(double fraction, String log) {}

        @Override
        public void usage(Usage usage) {}

        @Override
        public Duration elapsed() {
            return Duration.ZERO;
        }

        @Override
        public Instant deadline() {
            return null;
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable hook) {}

        @Override
        public Path workDir() {
            return Path.of(".");
        }
    }
}
