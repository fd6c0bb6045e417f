package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.security.Fixture.Response;
import org.planetarymesh.testkit.agent.RawAgent;

/** Each configured limit, exceeded, gives 413 or 429 with a message naming the limit, and changes nothing. */
class LimitsTest {

    @TempDir
    Path dir;

    private static int jobCount(Coordinator c) throws Exception {
        return Fixture.call(c, "GET", "/v1/jobs?limit=1000", null, c.adminToken())
                .body()
                .get("jobs")
                .size();
    }

    @Test
    void queuedJobsPerTokenAreCappedWith429() throws Exception {
        try (Coordinator c = Fixture.start(dir, cfg -> cfg.withMaxQueuedJobsPerToken(3))) {
            String submit = Fixture.createToken(c, "submit")[1];
            for (int i = 0; i < 3; i++) {
                assertThat(Fixture.call(c, "POST", "/v1/jobs", "{\"type\":\"echo\"}", submit)
                                .status())
                        .isEqualTo(201);
            }
            int before = jobCount(c);
            Response refused = Fixture.call(c, "POST", "/v1/jobs", "{\"type\":\"echo\"}", submit);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body().at("/error/code").asText()).isEqualTo("too_many_queued_jobs");
            assertThat(refused.body().at("/error/message").asText()).contains("limit is 3");
            Response batch = Fixture.call(c, "POST", "/v1/jobs/batch", "{\"jobs\":[{\"type\":\"echo\"}]}", submit);
            assertThat(batch.status()).isEqualTo(429);
            assertThat(jobCount(c)).isEqualTo(before);

            // Another token has its own allowance; a batch counts each of its jobs.
            String other = Fixture.createToken(c, "submit")[1];
            assertThat(Fixture.call(
                                    c,
                                    "POST",
                                    "/v1/jobs/batch",
                                    "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\"},{\"type\":\"echo\"},{\"type\":\"echo\"}]}",
                                    other)
                            .status())
                    .isEqualTo(429);
            assertThat(Fixture.call(
                                    c,
                                    "POST",
                                    "/v1/jobs/batch",
                                    "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\"}]}",
                                    other)
                            .status())
                    .isEqualTo(201);

            // Cancelling frees the allowance.
            String id = Fixture.call(c, "GET", "/v1/jobs?limit=1", null, submit)
                    .body()
                    .at("/jobs/0/id")
                    .asText();
            assertThat(Fixture.call(c, "POST", "/v1/jobs/" + id + "/cancel", "", submit)
                            .status())
                    .isIn(200, 409);
        }
    }

    @Test
    void aRestartDoesNotResetATokensQueuedJobCount() throws Exception {
        String submit;
        try (Coordinator c = Fixture.start(dir, cfg -> cfg.withMaxQueuedJobsPerToken(3))) {
            submit = Fixture.createToken(c, "submit")[1];
            assertThat(Fixture.call(c, "POST", "/v1/jobs", "{\"type\":\"echo\"}", submit)
                            .status())
                    .isEqualTo(201);
            assertThat(Fixture.call(
                                    c,
                                    "POST",
                                    "/v1/jobs/batch",
                                    "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\"}]}",
                                    submit)
                            .status())
                    .isEqualTo(201);
        }
        // Same data dir: the three jobs are still queued (no agent ever ran them) and still the token's.
        try (Coordinator c = Fixture.start(dir, cfg -> cfg.withMaxQueuedJobsPerToken(3))) {
            Response refused = Fixture.call(c, "POST", "/v1/jobs", "{\"type\":\"echo\"}", submit);
            assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
            assertThat(refused.body().at("/error/message").asText()).contains("has 3 unfinished jobs");
        }
    }

    @Test
    void batchAndPayloadLimitsGive413() throws Exception {
        try (Coordinator c = Fixture.start(dir, cfg -> cfg.withMaxBatchJobs(2).withMaxPayloadBytes(64))) {
            Response batch = Fixture.call(
                    c,
                    "POST",
                    "/v1/jobs/batch",
                    "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\"},{\"type\":\"echo\"}]}",
                    c.adminToken());
            assertThat(batch.status()).isEqualTo(413);
            assertThat(batch.body().at("/error/message").asText()).contains("1 to 2 jobs");
            Response payload = Fixture.call(
                    c,
                    "POST",
                    "/v1/jobs",
                    "{\"type\":\"echo\",\"payload\":\"" + "x".repeat(200) + "\"}",
                    c.adminToken());
            assertThat(payload.status()).isEqualTo(413);
            assertThat(payload.body().at("/error/message").asText()).contains("limit is 64");
            // The limit is in bytes: 42 characters with the quotes, but 82 bytes of UTF-8.
            Response multibyte = Fixture.call(
                    c,
                    "POST",
                    "/v1/jobs",
                    "{\"type\":\"echo\",\"payload\":\"" + "\u00e9".repeat(40) + "\"}",
                    c.adminToken());
            assertThat(multibyte.status()).isEqualTo(413);
            assertThat(multibyte.body().at("/error/message").asText()).contains("is 82 bytes");
            assertThat(jobCount(c)).isZero();
        }
    }

    @Test
    void bodyLimitGives413() throws Exception {
        try (Coordinator c = Fixture.start(dir, cfg -> cfg.withMaxBodyBytes(1_024))) {
            Response big = Fixture.call(
                    c,
                    "POST",
                    "/v1/jobs",
                    "{\"type\":\"echo\",\"payload\":\"" + "x".repeat(5_000) + "\"}",
                    c.adminToken());
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.body().at("/error/message").asText()).contains("larger than 1024 bytes");
        }
    }

    @Test
    void oversizedAgentFrameClosesTheConnectionWith1009() throws Exception {
        try (Coordinator c = Fixture.start(dir, cfg -> cfg.withMaxFrameBytes(4_096));
                RawAgent agent = RawAgent.connect(c.url(), c.adminToken())) {
            agent.sendText("{\"type\":\"hello\",\"v\":1,\"node_id\":\"" + "n".repeat(10_000) + "\"}");
            RawAgent.Closed closed = agent.awaitClosed();
            assertThat(closed.status()).isEqualTo(1009);
            assertThat(c.scheduler().nodes()).isEmpty();
            assertThat(Fixture.call(c, "GET", "/healthz", null, null).status()).isEqualTo(200);
        }
    }
}
