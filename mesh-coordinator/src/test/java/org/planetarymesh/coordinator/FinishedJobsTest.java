package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.post;
import static org.planetarymesh.coordinator.TestCoordinator.send;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.TestCoordinator.Response;
import org.planetarymesh.coordinator.TestCoordinator.SseEvent;
import org.planetarymesh.core.protocol.Message;

/**
 * Retrying and deleting finished jobs over the REST API: a retry is a new attempt of the same job, with its history
 * kept; every request in a state that does not allow it gets a precise 4xx.
 */
class FinishedJobsTest {

    @TempDir
    Path dir;

    /** Fails every attempt of a job until {@code failFirst} attempts failed, then completes. */
    private static java.util.function.BiConsumer<ProtocolAgent, Message.AssignJob> failingFirst(int failFirst) {
        AtomicInteger seen = new AtomicInteger();
        return (agent, assign) -> {
            if (seen.incrementAndGet() <= failFirst) {
                ProtocolAgent.failing(false).accept(agent, assign);
            } else {
                ProtocolAgent.echo(agent, assign);
            }
        };
    }

    @Test
    void aFailedJobRetriedIsTheSameJobAndCompletesAsItsNextAttempt() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 2, failingFirst(1))) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"x\":1}}");
            JsonNode failed = awaitStatus(coordinator, id, "FAILED");
            assertThat(failed.path("attempt").asInt()).isEqualTo(1);

            Response retried = post(coordinator, "/v1/jobs/" + id + "/retry", "");
            assertThat(retried.status()).as("%s", retried.body()).isEqualTo(200);
            assertThat(retried.body().path("id").asText()).isEqualTo(id);
            assertThat(retried.body().path("status").asText()).isEqualTo("QUEUED");
            assertThat(retried.body().has("error")).isFalse();

            JsonNode done = awaitStatus(coordinator, id, "COMPLETED");
            assertThat(done.path("attempt").asInt()).isEqualTo(2);
            assertThat(done.path("attempts")).hasSize(2);
            assertThat(done.path("attempts").get(0).path("outcome").asText()).isEqualTo("failed");
            assertThat(done.path("result").path("x").asInt()).isEqualTo(1);
            assertThat(agent.assignments())
                    .extracting(Message.AssignJob::attempt)
                    .containsExactly(1, 2);

            // The log keeps both runs: the first end, the retry's QUEUED, and the replay ends at the last end.
            List<SseEvent> events = TestCoordinator.events(coordinator, id, "");
            List<String> kinds = events.stream()
                    .map(e -> e.event() + ":" + e.data().path("status").asText(""))
                    .toList();
            assertThat(kinds.stream().filter(k -> k.startsWith("end")).count()).isEqualTo(2);
            assertThat(kinds).containsSubsequence("end:FAILED", "status:QUEUED", "end:COMPLETED");
            assertThat(kinds.getLast()).isEqualTo("end:COMPLETED");
        }
    }

    @Test
    void retryAnswers409ForJobsNotFailedAnd404ForUnknownOnes() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 2, (a, assign) -> {
                    if (assign.payload().path("hold").asBoolean()) {
                        ProtocolAgent.hold(a, assign);
                    } else {
                        ProtocolAgent.echo(a, assign);
                    }
                })) {
            awaitNodes(coordinator, 1);
            String completed = submit(coordinator, "{\"type\":\"echo\"}");
            awaitStatus(coordinator, completed, "COMPLETED");
            Response again = post(coordinator, "/v1/jobs/" + completed + "/retry", "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().path("error").path("code").asText()).isEqualTo("invalid_transition");
            assertThat(again.body().path("error").path("message").asText())
                    .contains("COMPLETED", "only FAILED, TIMED_OUT and CANCELLED");

            String running = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"hold\":true}}");
            awaitStatus(coordinator, running, "RUNNING");
            Response busy = post(coordinator, "/v1/jobs/" + running + "/retry", "");
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.body().path("error").path("message").asText()).contains("RUNNING", "cancel it first");

            Response unknown = post(coordinator, "/v1/jobs/0190a4b2-0000-7000-8000-000000000000/retry", "");
            assertThat(unknown.status()).isEqualTo(404);

            // A cancelled job can be retried and runs again.
            assertThat(TestCoordinator.cancel(coordinator, running).status()).isEqualTo(200);
            assertThat(post(coordinator, "/v1/jobs/" + running + "/retry", "").status())
                    .isEqualTo(200);
            agent.awaitAssignment(running, 2);
        }
    }

    @Test
    void bulkRetryTakesTheFilteredFailedJobsUpToItsLimit() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "n1", List.of("echo", "other"), 4, failingFirst(5))) {
            awaitNodes(coordinator, 1);
            List<String> echoes = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                echoes.add(submit(coordinator, "{\"type\":\"echo\"}"));
            }
            String other = submit(coordinator, "{\"type\":\"other\"}");
            for (String id : echoes) {
                awaitStatus(coordinator, id, "FAILED");
            }
            awaitStatus(coordinator, other, "FAILED");

            Response first =
                    post(coordinator, "/v1/jobs/retry", "{\"status\":\"failed\",\"type\":\"echo\",\"limit\":3}");
            assertThat(first.status()).as("%s", first.body()).isEqualTo(200);
            assertThat(first.body().path("count").asInt()).isEqualTo(3);
            assertThat(first.body().path("more").asBoolean()).isTrue();
            Response second = post(coordinator, "/v1/jobs/retry", "{\"type\":\"echo\"}");
            assertThat(second.body().path("count").asInt()).isEqualTo(1);
            assertThat(second.body().path("more").asBoolean()).isFalse();
            List<String> retried = new java.util.ArrayList<>();
            first.body().path("retried").forEach(n -> retried.add(n.asText()));
            second.body().path("retried").forEach(n -> retried.add(n.asText()));
            assertThat(retried).containsExactlyInAnyOrderElementsOf(echoes);
            for (String id : echoes) {
                awaitStatus(coordinator, id, "COMPLETED");
            }
            assertThat(TestCoordinator.status(coordinator, other)).isEqualTo("FAILED");

            assertThat(post(coordinator, "/v1/jobs/retry", "{\"status\":\"completed\"}")
                            .body()
                            .toString())
                    .contains("invalid_filter", "status must be one of FAILED, TIMED_OUT, CANCELLED");
            assertThat(post(coordinator, "/v1/jobs/retry", "{\"limit\":0}").status())
                    .isEqualTo(422);
            assertThat(post(coordinator, "/v1/jobs/retry", "{\"since\":\"yesterday\"}")
                            .body()
                            .toString())
                    .contains("since must be an ISO-8601 instant");
            assertThat(post(coordinator, "/v1/jobs/retry", "{\"stauts\":\"failed\"}")
                            .body()
                            .toString())
                    .contains("unknown field 'stauts'");
        }
    }

    @Test
    void deleteRemovesAFinishedJobWithItsEventsAndRefusesAnUnfinishedOne() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 2, (a, assign) -> {
                    if (assign.payload().path("hold").asBoolean()) {
                        ProtocolAgent.hold(a, assign);
                    } else {
                        ProtocolAgent.echo(a, assign);
                    }
                })) {
            awaitNodes(coordinator, 1);
            String done = submit(coordinator, "{\"type\":\"echo\"}");
            awaitStatus(coordinator, done, "COMPLETED");
            long completedBefore = coordinator.scheduler().counts().get(org.planetarymesh.core.job.JobStatus.COMPLETED);

            assertThat(delete(coordinator, "/v1/jobs/" + done).status()).isEqualTo(204);
            assertThat(TestCoordinator.get(coordinator, "/v1/jobs/" + done).status())
                    .isEqualTo(404);
            assertThat(TestCoordinator.get(coordinator, "/v1/jobs/" + done + "/events")
                            .status())
                    .isEqualTo(404);
            assertThat(coordinator.scheduler().counts().get(org.planetarymesh.core.job.JobStatus.COMPLETED))
                    .isEqualTo(completedBefore - 1);
            assertThat(delete(coordinator, "/v1/jobs/" + done).status()).isEqualTo(404);
            // The scheduler remembers it ended moments ago, but it is gone: a retry that got past the API's lookup
            // before the deletion finds nothing (and does not wait for it forever).
            assertThat(coordinator.scheduler().retry(done).get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(org.planetarymesh.coordinator.scheduler.RetryOutcome.NotFound.class);
            assertThat(post(coordinator, "/v1/jobs/" + done + "/retry", "").status())
                    .isEqualTo(404);

            String running = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"hold\":true}}");
            awaitStatus(coordinator, running, "RUNNING");
            Response refused = delete(coordinator, "/v1/jobs/" + running);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().path("error").path("message").asText())
                    .contains("RUNNING", "only finished jobs can be deleted", "/cancel");
        }
    }

    static Response delete(Coordinator c, String path) throws Exception {
        return send(c, HttpRequest.newBuilder(URI.create(c.url() + path)).DELETE());
    }
}
