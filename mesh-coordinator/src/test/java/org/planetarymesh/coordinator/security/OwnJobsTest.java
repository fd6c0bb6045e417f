package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;

/** A token with role {@code submit} sees, follows and cancels only the jobs it submitted; read and admin see all. */
class OwnJobsTest {

    @TempDir
    Path dir;

    @Test
    void aSubmitTokenIsLimitedToItsOwnJobs() throws Exception {
        try (Coordinator coordinator = Fixture.start(dir, c -> c)) {
            String alice = Fixture.createToken(coordinator, "submit")[1];
            String bob = Fixture.createToken(coordinator, "submit")[1];
            String reader = Fixture.createToken(coordinator, "read")[1];
            String alicesJob = submit(coordinator, alice);
            String bobsJob = submit(coordinator, bob);

            assertThat(Fixture.call(coordinator, "GET", "/v1/jobs/" + alicesJob, null, alice)
                            .status())
                    .isEqualTo(200);
            var forbidden = Fixture.call(coordinator, "GET", "/v1/jobs/" + bobsJob, null, alice);
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.body().path("error").path("message").asText()).contains("only its own jobs");
            assertThat(Fixture.call(coordinator, "POST", "/v1/jobs/" + bobsJob + "/cancel", null, alice)
                            .status())
                    .isEqualTo(403);
            assertThat(Fixture.call(coordinator, "GET", "/v1/jobs/" + bobsJob + "/events?follow=false", null, alice)
                            .status())
                    .isEqualTo(403);
            assertThat(ids(coordinator, alice)).containsExactly(alicesJob);
            assertThat(ids(coordinator, reader)).containsExactlyInAnyOrder(alicesJob, bobsJob);
            assertThat(ids(coordinator, coordinator.adminToken())).containsExactlyInAnyOrder(alicesJob, bobsJob);

            var cancelled = Fixture.call(coordinator, "POST", "/v1/jobs/" + alicesJob + "/cancel", null, alice);
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(Fixture.call(coordinator, "GET", "/v1/jobs/" + bobsJob, null, bob)
                            .body()
                            .path("status")
                            .asText())
                    .isEqualTo("QUEUED");
        }
    }

    private static String submit(Coordinator coordinator, String token) throws Exception {
        var created = Fixture.call(coordinator, "POST", "/v1/jobs", "{\"type\":\"echo\"}", token);
        assertThat(created.status()).isEqualTo(201);
        return created.body().path("id").asText();
    }

    private static java.util.List<String> ids(Coordinator coordinator, String token) throws Exception {
        var page =
                Fixture.call(coordinator, "GET", "/v1/jobs", null, token).body().path("jobs");
        java.util.List<String> ids = new java.util.ArrayList<>();
        page.forEach(job -> ids.add(job.path("id").asText()));
        return ids;
    }
}
