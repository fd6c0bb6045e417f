package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.protocol.Message;

/** Retries back off exponentially up to max_attempts; timeouts cancel and retry the attempt; deadlines end jobs. */
class RetryAndTimeoutTest {

    @TempDir
    Path dir;

    @Test
    void retryableErrorsBackOffThenFailAfterMaxAttempts() throws Exception {
        Map<Integer, Long> assignedAtNanos = new ConcurrentHashMap<>();
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(coordinator, "flaky", List.of("echo"), 2, (a, assign) -> {
                    assignedAtNanos.put(assign.attempt(), System.nanoTime());
                    ProtocolAgent.failing(true).accept(a, assign);
                })) {
            awaitNodes(coordinator, 1);
            String id = submit(
                    coordinator,
                    "{\"type\":\"echo\",\"retry\":{\"max_attempts\":3,"
                            + "\"backoff\":{\"initial_ms\":200,\"multiplier\":2,\"jitter\":0}}}");

            JsonNode job = awaitStatus(coordinator, id, "FAILED");
            assertThat(job.path("attempts")).hasSize(3);
            assertThat(job.path("attempt").asInt()).isEqualTo(3);
            assertThat(job.path("error").path("code").asText()).isEqualTo("executor_error");
            assertThat(agent.assignments())
                    .extracting(Message.AssignJob::attempt)
                    .containsExactly(1, 2, 3);
            // The agent fails each attempt the moment it arrives, so the gap between arrivals is at least the backoff
            // (lower bounds only: a loaded machine stretches gaps; AttemptRulesTest checks exact delays on a fake
            // clock).
            long firstGap = millisBetween(assignedAtNanos.get(1), assignedAtNanos.get(2));
            long secondGap = millisBetween(assignedAtNanos.get(2), assignedAtNanos.get(3));
            assertThat(firstGap).isGreaterThanOrEqualTo(180);
            assertThat(secondGap).isGreaterThanOrEqualTo(380);
        }
    }

    @Test
    void nonRetryableErrorFailsAtOnce() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(
                        coordinator, "broken", List.of("echo"), 2, ProtocolAgent.failing(false))) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\",\"retry\":{\"max_attempts\":5}}");

            JsonNode job = awaitStatus(coordinator, id, "FAILED");
            assertThat(job.path("attempts")).hasSize(1);
            assertThat(job.path("error").path("code").asText()).isEqualTo("executor_error");
            assertThat(agent.assignments()).hasSize(1);
        }
    }

    @Test
    void attemptThatExceedsTimeoutIsCancelledAndRetried() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "slow", List.of("echo"), 2, ProtocolAgent::hold)) {
            awaitNodes(coordinator, 1);
            String id = submit(
                    coordinator,
                    "{\"type\":\"echo\",\"timeout_ms\":300,\"retry\":{\"max_attempts\":2,"
                            + "\"backoff\":{\"initial_ms\":10,\"jitter\":0}}}");

            agent.awaitAssignment(id, 1);
            await().atMost(ProtocolAgent.shortly())
                    .until(() ->
                            agent.cancels().stream().anyMatch(c -> c.jobId().equals(id) && c.attempt() == 1));
            agent.awaitAssignment(id, 2);
            JsonNode job = awaitStatus(coordinator, id, "FAILED");
            assertThat(job.path("error").path("code").asText()).isEqualTo("timeout");
            assertThat(job.path("attempts")).hasSize(2);
            assertThat(job.path("attempts").get(0).path("outcome").asText()).isEqualTo("timeout");
            await().atMost(ProtocolAgent.shortly())
                    .until(() ->
                            agent.cancels().stream().anyMatch(c -> c.jobId().equals(id) && c.attempt() == 2));
        }
    }

    @Test
    void singleAttemptThatTimesOutFailsWithCodeTimeout() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "slow", List.of("echo"), 2, ProtocolAgent::hold)) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\",\"timeout_ms\":300,\"retry\":{\"max_attempts\":1}}");

            JsonNode job = awaitStatus(coordinator, id, "FAILED");
            assertThat(job.path("error").path("code").asText()).isEqualTo("timeout");
            assertThat(job.path("attempts")).hasSize(1);
            assertThat(agent.cancels()).extracting(Message.JobCancel::attempt).containsExactly(1);
        }
    }

    @Test
    void heldJobPastItsDeadlineIsTimedOut() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "slow", List.of("echo"), 2, ProtocolAgent::hold)) {
            awaitNodes(coordinator, 1);
            Instant deadline = Instant.now().plusMillis(700);
            String id = submit(coordinator, "{\"type\":\"echo\",\"deadline\":\"" + deadline + "\"}");
            agent.awaitAssignment(id, 1);

            JsonNode job = awaitStatus(coordinator, id, "TIMED_OUT");
            assertThat(Instant.parse(job.path("finished_at").asText())).isAfterOrEqualTo(deadline.minusMillis(5));
            await().atMost(ProtocolAgent.shortly())
                    .until(() ->
                            agent.cancels().stream().anyMatch(c -> c.jobId().equals(id) && c.attempt() == 1));
        }
    }

    private static long millisBetween(long fromNanos, long toNanos) {
        return Duration.ofNanos(toNanos - fromNanos).toMillis();
    }
}
