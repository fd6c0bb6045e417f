package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.TestCoordinator.SseEvent;
import org.planetarymesh.core.protocol.Message;

/** The output kept of one attempt stops at {@code max_output_bytes}; the attempt and the log say where it stopped. */
class OutputCapTest {

    @TempDir
    Path dir;

    @Test
    void outputPastTheCapIsDroppedAndTheAttemptSaysSo() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(
                        dir, c -> c.withRetention(c.retention().withMaxOutputBytes(100)));
                ProtocolAgent agent = ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 1, (a, assign) -> {
                    a.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
                    // 3 chunks of 60 bytes (the last with two-byte characters): 180 bytes against a cap of 100.
                    a.send(new Message.JobChunk(assign.jobId(), assign.attempt(), 0, "a".repeat(60), "stdout"));
                    a.send(new Message.JobChunk(assign.jobId(), assign.attempt(), 1, "b".repeat(60), "stdout"));
                    a.send(new Message.JobChunk(assign.jobId(), assign.attempt(), 2, "é".repeat(30), "stdout"));
                    ProtocolAgent.echo(a, assign);
                })) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\"}");
            JsonNode job = awaitStatus(coordinator, id, "COMPLETED");
            JsonNode attempt = job.path("attempts").get(0);
            assertThat(attempt.path("output_truncated").asBoolean()).isTrue();
            assertThat(attempt.path("output_cap_bytes").asLong()).isEqualTo(100);

            List<SseEvent> events = TestCoordinator.events(coordinator, id, "");
            StringBuilder output = new StringBuilder();
            events.stream()
                    .filter(e -> "chunk".equals(e.event()))
                    .forEach(e -> output.append(e.data().path("data").asText()));
            String kept = output.substring(0, output.indexOf("\n[mesh: output truncated"));
            assertThat(kept).isEqualTo("a".repeat(60) + "b".repeat(40));
            assertThat(kept.getBytes(StandardCharsets.UTF_8)).hasSize(100);
            assertThat(output.toString())
                    .contains("output truncated at 100 bytes")
                    .doesNotContain("é");
        }
    }

    @Test
    void outputUnderTheCapIsKeptWhole() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 1, (a, assign) -> {
                    a.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
                    a.send(new Message.JobChunk(assign.jobId(), assign.attempt(), 0, "hello\n", "stdout"));
                    ProtocolAgent.echo(a, assign);
                })) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\"}");
            JsonNode job = awaitStatus(coordinator, id, "COMPLETED");
            assertThat(job.path("attempts").get(0).has("output_truncated")).isFalse();
            assertThat(TestCoordinator.events(coordinator, id, "").stream()
                            .filter(e -> "chunk".equals(e.event()))
                            .map(e -> e.data().path("data").asText()))
                    .containsExactly("hello\n");
        }
    }
}
