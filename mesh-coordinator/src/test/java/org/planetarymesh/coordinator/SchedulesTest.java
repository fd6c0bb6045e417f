package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /v1/schedules} on a real coordinator with an agent: a schedule every second makes jobs that run; pause,
 * resume, run now and delete behave; bad input is refused naming the field.
 */
class SchedulesTest {

    @TempDir
    Path dir;

    private static List<JsonNode> jobsOf(Coordinator c, String scheduleId) throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        for (JsonNode job : TestCoordinator.get(c, "/v1/jobs?limit=1000").body().path("jobs")) {
            if (job.path("spec").path("idempotency_key").asText().startsWith("schedule:" + scheduleId + ":")) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    private static int countOf(Coordinator c, String scheduleId) throws Exception {
        return jobsOf(c, scheduleId).size();
    }

    @Test
    void aScheduleFiresPausesResumesRunsNowAndIsDeleted() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 4, ProtocolAgent::echo)) {
            await().until(() -> coordinator.scheduler().nodes().size() == 1);
            var created = TestCoordinator.post(
                    coordinator,
                    "/v1/schedules",
                    "{\"cron\":\"* * * * * *\",\"job\":{\"type\":\"echo\",\"payload\":\"tick\"}}");
            assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
            String id = created.body().path("id").asText();
            assertThat(created.body().path("missed").asText()).isEqualTo("run_once");
            assertThat(created.body().path("zone").asText()).isEqualTo("UTC");

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> jobsOf(coordinator, id).stream()
                                    .filter(j -> j.path("status").asText().equals("COMPLETED"))
                                    .count()
                            >= 3);
            assertThat(jobsOf(coordinator, id))
                    .extracting(j -> j.path("spec").path("idempotency_key").asText())
                    .doesNotHaveDuplicates();

            var paused = TestCoordinator.post(coordinator, "/v1/schedules/" + id + "/pause", "");
            assertThat(paused.body().path("paused").asBoolean()).isTrue();
            int atPause = countOf(coordinator, id);
            await().during(Duration.ofMillis(2_500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> countOf(coordinator, id) == atPause);

            var run = TestCoordinator.post(coordinator, "/v1/schedules/" + id + "/run", "");
            assertThat(run.status()).isEqualTo(201);
            TestCoordinator.awaitStatus(coordinator, run.body().path("id").asText(), "COMPLETED");
            assertThat(TestCoordinator.get(coordinator, "/v1/schedules/" + id)
                            .body()
                            .path("last_job_id")
                            .asText())
                    .isEqualTo(run.body().path("id").asText());

            var resumed = TestCoordinator.post(coordinator, "/v1/schedules/" + id + "/resume", "");
            assertThat(resumed.body().path("paused").asBoolean()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> countOf(coordinator, id) >= atPause + 1 + 2);

            var deleted = TestCoordinator.send(
                    coordinator,
                    HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/schedules/" + id))
                            .DELETE());
            assertThat(deleted.status()).isEqualTo(200);
            int atDelete = countOf(coordinator, id);
            await().during(Duration.ofMillis(2_500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> countOf(coordinator, id) == atDelete);
            assertThat(TestCoordinator.get(coordinator, "/v1/schedules/" + id).status())
                    .isEqualTo(404);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"job":{"type":"echo"}}                                       | cron           | is required
            {"cron":"* * * *","job":{"type":"echo"}}                      | cron           | has 4 fields
            {"cron":"0 25 * * *","job":{"type":"echo"}}                   | cron           | Value 25 not in range [0, 23]
            {"cron":"@reboot","job":{"type":"echo"}}                      | cron           | '@reboot' is not valid
            {"cron":"0 0 30 2 *","job":{"type":"echo"}}                   | cron           | never comes round
            {"cron":"@daily","zone":"Mars/Olympus","job":{"type":"echo"}} | zone           | must be a time zone name such as UTC or Europe/Paris
            {"cron":"@daily"}                                             | job            | is required
            {"cron":"@daily","job":{"type":"echo","delay_ms":5}}          | job.delay_ms   | a schedule's jobs start at its ticks
            {"cron":"@daily","job":{"type":"echo","deadline":"2030-01-01T00:00:00Z"}} | job.deadline | use timeout_ms
            {"cron":"@daily","job":{"type":"echo","idempotency_key":"k"}} | job.idempotency_key | schedule:<id>:<tick>
            {"cron":"@daily","job":{"type":"echo","retry":{"max_attempts":0}}} | job.retry.max_attempts | must be between 1 and 100
            {"cron":"@daily","job":{"type":"echo"},"missed":"always"}     | missed         | must be 'run_once' (the default) or 'skip'
            {"cron":"@daily","job":{"type":"echo"},"paused":"yes"}        | paused         | must be true or false
            {"cron":"@daily","job":{"type":"echo"},"colour":"red"}        | colour         | is not a known field
            """)
    void badInputIsRefusedNamingTheField(String body, String field, String message) throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            var answer = TestCoordinator.post(coordinator, "/v1/schedules", body);

            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.body().path("error").path("code").asText()).isEqualTo("invalid_schedule");
            JsonNode detail = answer.body().path("error").path("details").get(0);
            assertThat(detail.path("field").asText()).isEqualTo(field);
            assertThat(detail.path("message").asText()).contains(message);
            assertThat(TestCoordinator.get(coordinator, "/v1/schedules").body().path("schedules"))
                    .isEmpty();
        }
    }

    @Test
    void aSubmitTokenSeesOnlyItsOwnSchedules() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            String admins = TestCoordinator.post(
                            coordinator, "/v1/schedules", "{\"cron\":\"@daily\",\"job\":{\"type\":\"echo\"}}")
                    .body()
                    .path("id")
                    .asText();
            String token = TestCoordinator.post(coordinator, "/v1/tokens", "{\"role\":\"submit\",\"name\":\"ci\"}")
                    .body()
                    .path("token")
                    .asText();

            var list = TestCoordinator.sendRaw(HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/schedules"))
                    .header("Authorization", "Bearer " + token));
            var pause = TestCoordinator.sendRaw(
                    HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/schedules/" + admins + "/pause"))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.noBody()));

            assertThat(list.body().path("schedules")).isEmpty();
            assertThat(pause.status()).isEqualTo(403);
        }
    }
}
